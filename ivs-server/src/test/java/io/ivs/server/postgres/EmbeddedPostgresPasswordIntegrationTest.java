package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The embedded PostgreSQL demands its superuser's password on every connection (it trusted
 * every local connection before, so any local user could read the signing keys), listens on
 * loopback only, and converts a data directory of the older, trusting kind at start without
 * losing its data.
 */
class EmbeddedPostgresPasswordIntegrationTest {
    /** {@code pg_hba.conf} as {@code initdb -A trust} wrote it for older versions of IVS. */
    private static final String TRUSTING_HBA = """
            local   all             all                                     trust
            host    all             all             127.0.0.1/32            trust
            host    all             all             ::1/128                 trust
            local   replication     all                                     trust
            host    replication     all             127.0.0.1/32            trust
            host    replication     all             ::1/128                 trust
            """;

    @TempDir
    Path root;

    private final List<EmbeddedPostgres> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(EmbeddedPostgres::close);
    }

    private EmbeddedPostgres start() {
        EmbeddedPostgres server = EmbeddedPostgres.start(root, 0);
        servers.add(server);
        return server;
    }

    private static Connection connect(EmbeddedPostgres server, String password)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }

    private static String query(Connection con, String sql) throws SQLException {
        try (Statement st = con.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Path passwordFile() {
        return root.resolve("pg-password");
    }

    @Test
    void newDataDirectory_demandsTheGeneratedPassword() throws Exception {
        EmbeddedPostgres server = start();

        assertThat(Files.getPosixFilePermissions(passwordFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String password = Files.readString(passwordFile()).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(40).isEqualTo(server.password());
        assertThatThrownBy(() -> connect(server, null).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> connect(server, "wrong-" + password).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        try (Connection con = connect(server, password)) {
            assertThat(query(con, "select 1")).isEqualTo("1");
            assertThat(query(con, "show listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(query(con, "show unix_socket_directories")).isEmpty();
            assertThat(query(con, "select rolpassword from pg_authid where rolname = 'postgres'"))
                    .startsWith("SCRAM-SHA-256$4096:");
        }
        assertThat(Files.readString(root.resolve("pg/pg_hba.conf")))
                .doesNotContain("trust")
                .contains("scram-sha-256");
    }

    @Test
    void restart_keepsThePassword() throws Exception {
        String first = start().password();
        servers.remove(0).close();

        EmbeddedPostgres again = start();

        assertThat(again.password()).isEqualTo(first);
        try (Connection con = connect(again, first)) {
            assertThat(query(con, "select 1")).isEqualTo("1");
        }
    }

    @Test
    void trustingDataDirectoryOfAnOlderIvs_isConvertedAndKeepsItsData() throws Exception {
        makeTrustingDirectoryWithData();

        EmbeddedPostgres upgraded = start();

        String password = Files.readString(passwordFile()).strip();
        assertThat(upgraded.password()).isEqualTo(password);
        assertThat(Files.getPosixFilePermissions(passwordFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(root.resolve("pg/pg_hba.conf"))).doesNotContain("trust");
        assertThatThrownBy(() -> connect(upgraded, null).close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect(upgraded, "").close()).isInstanceOf(SQLException.class);
        try (Connection con = connect(upgraded, password)) {
            assertThat(query(con, "select v from kept")).isEqualTo("stock counts");
        }
    }

    @Test
    void lostPasswordFile_isReplacedAtStart() throws Exception {
        String old = start().password();
        servers.remove(0).close();
        Files.delete(passwordFile());

        EmbeddedPostgres again = start();

        assertThat(again.password()).isNotEqualTo(old);
        assertThatThrownBy(() -> connect(again, old).close()).isInstanceOf(SQLException.class);
        try (Connection con = connect(again, again.password())) {
            assertThat(query(con, "select 1")).isEqualTo("1");
        }
    }

    /**
     * Builds what an older IVS left behind: a superuser without a password, {@code pg_hba.conf}
     * trusting every connection, no password file, and some data.
     */
    private void makeTrustingDirectoryWithData() throws SQLException, IOException {
        EmbeddedPostgres server = start();
        try (Connection con = connect(server, server.password());
                Statement st = con.createStatement()) {
            st.execute("create table kept (v text)");
            st.execute("insert into kept values ('stock counts')");
            st.execute("alter role postgres password null");
            Files.writeString(root.resolve("pg/pg_hba.conf"), TRUSTING_HBA);
            st.execute("select pg_reload_conf()");
        }
        // The directory is now of the old kind: anyone gets in without a password.
        try (Connection con = connect(server, null)) {
            assertThat(query(con, "select v from kept")).isEqualTo("stock counts");
        }
        servers.remove(0).close();
        Files.delete(passwordFile());
    }
}
