package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Spring Boot's standard {@code spring.datasource.hikari.*} settings reach the running pool, for
 * the embedded database and for an external one, and override IVS's own pool defaults.
 */
class HikariSettingsIntegrationTest {
    private static final String[] HIKARI_SETTINGS = {
        "spring.datasource.hikari.maximum-pool-size=7",
        "spring.datasource.hikari.pool-name=ivs-tuned",
        "spring.datasource.hikari.data-source-properties.ApplicationName=ivs-tuned-app",
        // IVS's own pool setting, which the standard one above wins over.
        "ivs.database.pool-size=3"
    };

    @TempDir
    Path root;

    @BeforeEach
    void traversableRoot() throws IOException {
        // PostgreSQL runs as another user when the tests run as root; it must enter the folder.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The database configuration alone, converting "PT1S" to a Duration as Spring Boot does. */
    private ApplicationContextRunner database() {
        return new ApplicationContextRunner()
                .withInitializer(context -> context.getBeanFactory()
                        .setConversionService(ApplicationConversionService.getSharedInstance()))
                .withUserConfiguration(DatabaseConfiguration.class)
                // No database URL unless a test gives one, also where IVS_DATABASE_URL is set
                // (CI's run against PostgreSQL 15): these tests choose the database themselves.
                .withPropertyValues("ivs.data-dir=" + root.resolve("ivs"), "ivs.database.url=");
    }

    private ApplicationContextRunner runner() {
        return database().withPropertyValues(HIKARI_SETTINGS);
    }

    @Test
    void embeddedDatabase_hikariSettings_reachTheRunningPool() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EmbeddedPostgres.class);
            assertTuned(context.getBean(HikariDataSource.class));
        });
    }

    @Test
    void externalDatabase_hikariSettings_reachTheRunningPool() {
        try (EmbeddedPostgres external = EmbeddedPostgres.start(root.resolve("external"), 0)) {
            runner().withPropertyValues(
                            "ivs.database.url=" + external.jdbcUrl(),
                            "ivs.database.user=" + external.user(),
                            "ivs.database.password=" + external.password())
                    .run(context -> {
                        assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedPostgres.class);
                        HikariDataSource pool = context.getBean(HikariDataSource.class);
                        assertThat(pool.getJdbcUrl()).isEqualTo(external.jdbcUrl());
                        assertTuned(pool);
                    });
        }
    }

    @Test
    void withoutHikariSettings_ivsDefaultsApply() {
        database().withPropertyValues("ivs.database.pool-size=5").run(context -> {
            HikariDataSource pool = context.getBean(HikariDataSource.class);
            assertThat(pool.getMaximumPoolSize()).isEqualTo(5);
            assertThat(pool.getPoolName()).isEqualTo("ivs");
            assertThat(pool.getDataSourceProperties()).containsEntry("tcpKeepAlive", "true");
        });
    }

    private static void assertTuned(HikariDataSource pool) throws SQLException {
        assertThat(pool.isRunning()).isTrue();
        assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
        assertThat(pool.getPoolName()).isEqualTo("ivs-tuned");
        assertThat(pool.getHikariConfigMXBean().getMaximumPoolSize()).isEqualTo(7);
        // IVS's own driver properties are kept beside the ones given.
        assertThat(pool.getDataSourceProperties()).containsEntry("tcpKeepAlive", "true");
        // The driver property reached PostgreSQL through a pooled connection.
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("show application_name")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ivs-tuned-app");
        }
    }

    @Test
    void embeddedSwitchedOff_withoutUrl_refusesToStart_namingTheSettings() {
        database().withPropertyValues("ivs.database.embedded=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("IVS_DATABASE_URL")
                    .hasMessageContaining("IVS_DATABASE_EMBEDDED=true");
        });
    }
}
