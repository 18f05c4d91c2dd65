package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;

import io.ivs.server.IvsApplication;
import io.ivs.server.postgres.EmbeddedPostgres;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Two IVS instances on one database (DESIGN D4): a token from one works on the other, a
 * revocation through one (or by hand in the database) is obeyed by both once PostgreSQL has
 * delivered its notification, and a key rotated in through one verifies on the other without a
 * restart.
 */
class TwoInstancesIntegrationTest {
    private static final Duration NOTIFICATION_WAIT_MAX = Duration.ofSeconds(5);
    private static final List<Path> DIRECTORIES = new ArrayList<>();
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static IvsClient one;
    private static IvsClient two;
    private static String env;

    @BeforeAll
    static void start() throws IOException {
        first = start(List.of());
        EmbeddedPostgres database =
                first.getBeanProvider(EmbeddedPostgres.class).getIfAvailable();
        // With IVS_DATABASE_URL set both instances use that database already; otherwise the
        // second one uses the first one's embedded PostgreSQL as its external database.
        second = start(
                database == null
                        ? List.of()
                        : List.of(
                                "--ivs.database.url=" + database.jdbcUrl(),
                                "--ivs.database.user=" + database.user(),
                                "--ivs.database.password=" + database.password()));
        one = client(first);
        two = client(second);
        env = "two-" + UUID.randomUUID();
        assertThat(one.put("/admin/environments/" + env, null).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : List.of(second, first)) {
            if (context != null) {
                context.close();
            }
        }
        DIRECTORIES.forEach(TwoInstancesIntegrationTest::deleteQuietly);
    }

    private static ConfigurableApplicationContext start(List<String> more) throws IOException {
        Path dataDir = Files.createTempDirectory("ivs-two-");
        // As root the embedded PostgreSQL runs as user nobody, which must traverse this folder.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        DIRECTORIES.add(dataDir);
        List<String> args =
                new ArrayList<>(List.of("--server.port=0", "--ivs.data-dir=" + dataDir));
        args.addAll(more);
        return new SpringApplicationBuilder(IvsApplication.class).run(args.toArray(String[]::new));
    }

    private static IvsClient client(ConfigurableApplicationContext context) {
        return new IvsClient(
                Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    /** Creates a client through the first instance; answers its id and secret. */
    private static JsonNode createClient() {
        IvsClient.Response created = one.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "environments", List.of(env),
                        "roles", List.of("inventory.read", "inventory.write"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private static IvsClient.Response query(IvsClient instance) {
        return instance.post(
                "/api/environment/" + env + "/onhand/indexquery", SecurityTestSupport.QUERY);
    }

    @Test
    void tokenFromOneInstance_worksOnTheOther_untilRevokedThroughEither() {
        JsonNode created = createClient();
        String id = created.path("clientId").asString();
        String token = one.accessToken(id, created.path("clientSecret").asString(), env);
        String event = SecurityTestSupport.event("t-" + UUID.randomUUID(), "1");

        IvsClient.Response written =
                two.withToken(token).post("/api/environment/" + env + "/onhand", event);
        // Both instances have now looked the client up (and may hold it in their caches).
        assertThat(query(one.withToken(token)).status()).isEqualTo(200);
        IvsClient.Response revoked = two.post("/admin/clients/" + id + "/revoke", null);

        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        // The revoking instance refuses the very next call; the other one once notified.
        assertThat(query(two.withToken(token)).status()).isEqualTo(401);
        assertThat(statusOnceNotified(one.withToken(token), 401)).isEqualTo(401);
    }

    @Test
    void clientRevokedByHandInTheDatabase_isRefusedByBothInstances() {
        JsonNode created = createClient();
        String id = created.path("clientId").asString();
        String token = one.accessToken(id, created.path("clientSecret").asString(), env);
        assertThat(query(one.withToken(token)).status()).isEqualTo(200);
        assertThat(query(two.withToken(token)).status()).isEqualTo(200);

        first.getBean(JdbcTemplate.class)
                .update("update api_client set revoked_at = now() where client_id = ?", id);

        assertThat(statusOnceNotified(one.withToken(token), 401)).isEqualTo(401);
        assertThat(statusOnceNotified(two.withToken(token), 401)).isEqualTo(401);
    }

    /**
     * The query's status once it is {@code expected} or {@link #NOTIFICATION_WAIT_MAX} passed: a
     * change reaches another instance by a PostgreSQL notification, delivered after the commit.
     */
    private static int statusOnceNotified(IvsClient instance, int expected) {
        long deadline = System.nanoTime() + NOTIFICATION_WAIT_MAX.toNanos();
        int status = query(instance).status();
        while (status != expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            status = query(instance).status();
        }
        return status;
    }

    @Test
    void keyRotatedThroughOneInstance_verifiesOnTheOtherAtOnce() throws ParseException {
        // The second instance verifies a token first, so its key cache holds the old key only.
        assertThat(query(two).status()).isEqualTo(200);
        String oldKid = SignedJWT.parse(two.adminToken(env)).getHeader().getKeyID();

        IvsClient.Response rotated = one.post("/admin/keys/rotate", null);
        String fresh = one.accessToken(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET, env);

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newKid = SignedJWT.parse(fresh).getHeader().getKeyID();
        assertThat(newKid).isEqualTo(rotated.json().path("kid").asString()).isNotEqualTo(oldKid);
        IvsClient.Response response = query(two.withToken(fresh));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(query(two.withToken(two.adminToken(env))).status())
                .as("a token signed before the rotation")
                .isEqualTo(200);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
