package io.ivs.server.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The database: an external PostgreSQL when {@code IVS_DATABASE_URL} is set, otherwise the
 * embedded server under the data directory (DESIGN D3).
 *
 * <p>The pool is Hikari with IVS's defaults, which Spring Boot's standard
 * {@code spring.datasource.hikari.*} settings override one by one (as
 * {@code SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE} and so on in the environment), so operators
 * tune it the way they tune any Spring Boot service.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {
    /** Spring Boot's prefix for Hikari's own settings, bound onto the pool's configuration. */
    static final String HIKARI_SETTINGS = "spring.datasource.hikari";

    @Bean(destroyMethod = "close")
    @org.springframework.context.annotation.Conditional(EmbeddedDatabaseCondition.class)
    EmbeddedPostgres embeddedPostgres(
            @Value("${ivs.data-dir}") String dataDir,
            @Value("${ivs.embedded.port:0}") int port,
            @Value("${ivs.embedded.supervise-interval:PT1S}") Duration superviseInterval,
            @Value("${ivs.embedded.restart-delay:PT0S}") Duration restartDelay) {
        EmbeddedPostgres server = EmbeddedPostgres.start(Path.of(dataDir), port);
        server.supervise(superviseInterval, restartDelay);
        return server;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(
            @Value("${ivs.database.url:}") String url,
            @Value("${ivs.database.user:}") String user,
            @Value("${ivs.database.password:}") String password,
            @Value("${ivs.database.pool-size:20}") int poolSize,
            @Value("${ivs.database.connection-timeout:PT3S}") Duration connectionTimeout,
            org.springframework.beans.factory.ObjectProvider<EmbeddedPostgres> embedded,
            Environment environment) {
        HikariConfig config = new HikariConfig();
        EmbeddedPostgres server = embedded.getIfAvailable();
        if (server != null) {
            config.setJdbcUrl(server.jdbcUrl());
            config.setUsername(server.user());
            config.setPassword(server.password());
        } else {
            requireUrl(url);
            config.setJdbcUrl(url);
            config.setUsername(blankToNull(user));
            config.setPassword(blankToNull(password));
        }
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("ivs");
        // Fail fast at start-up with a clear message when the database is unreachable, but let
        // a running service ride out an outage: connections are retried per request, and a
        // request that cannot get one within the connection timeout answers 503
        // (docs/operations.md,
        // "Database outages"). The driver's own connect timeout is shorter, so that a host that
        // does not answer at all fails within that budget too.
        config.setInitializationFailTimeout(30_000);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.min(1_000, connectionTimeout.toMillis()));
        config.addDataSourceProperty(
                "connectTimeout", String.valueOf(Math.max(1, connectionTimeout.toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // Bound last, so that a setting given under spring.datasource.hikari wins over the
        // defaults above (ivs.database.pool-size included); the rest keep IVS's values.
        Binder.get(environment).bind(HIKARI_SETTINGS, Bindable.ofInstance(config));
        return new HikariDataSource(config);
    }

    /**
     * Without a URL the embedded server would have started, unless it is switched off (the
     * container image does, so that a container never keeps data on a disk it loses).
     */
    private static void requireUrl(String url) {
        if (url.isBlank()) {
            throw new IllegalStateException("no database: IVS_DATABASE_URL is not set and the"
                    + " embedded PostgreSQL is switched off (IVS_DATABASE_EMBEDDED=false); set"
                    + " IVS_DATABASE_URL, IVS_DATABASE_USER and IVS_DATABASE_PASSWORD for an"
                    + " external PostgreSQL 14 or later, or IVS_DATABASE_EMBEDDED=true to keep"
                    + " the data under IVS_DATA_DIR");
        }
    }

    private static @Nullable String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }

    /**
     * The embedded server starts only when no external database URL is configured and it is not
     * switched off.
     */
    static final class EmbeddedDatabaseCondition
            implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(
                org.springframework.context.annotation.ConditionContext context,
                org.springframework.core.type.AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("ivs.database.url", "");
            boolean allowed = context.getEnvironment()
                    .getProperty("ivs.database.embedded", Boolean.class, true);
            return url.isBlank() && allowed;
        }
    }
}
