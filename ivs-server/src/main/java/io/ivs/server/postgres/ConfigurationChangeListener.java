package io.ivs.server.postgres;

import com.zaxxer.hikari.HikariDataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hears every configuration and API-client change committed by any instance on the database:
 * saving a configuration sends {@code NOTIFY ivs_configuration} in its transaction, a change of
 * table {@code api_client} sends {@code NOTIFY ivs_clients} from a trigger, and this listener
 * holds a dedicated connection that {@code LISTEN}s on both channels.
 *
 * <p>{@link #stamp()} changes on every notification and on every loss or regain of the
 * connection, and is negative while the listener is not connected. A cache entry stamped with
 * the value read before its database read is valid while the stamp is unchanged, so no change
 * can be missed (DESIGN D4). What remains is the delivery delay of a notification after the
 * commit (well under a millisecond on a live connection); a lost connection is found within
 * {@link #LIVENESS_INTERVAL} plus the socket timeout, and caching stops until it is back.
 */
@Component
public class ConfigurationChangeListener implements SmartLifecycle {
    public static final String CHANNEL = "ivs_configuration";
    /** Notified by a trigger on every statement that changes {@code api_client} (V12). */
    public static final String CLIENTS_CHANNEL = "ivs_clients";

    static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(1);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final long NOT_LISTENING = -1;
    private static final Logger log = LoggerFactory.getLogger(ConfigurationChangeListener.class);

    private final HikariDataSource dataSource;
    private final AtomicLong changes = new AtomicLong();
    private volatile long stamp = NOT_LISTENING;
    private volatile boolean running;
    private volatile @Nullable Thread thread;

    public ConfigurationChangeListener(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Changes whenever a configuration or an API client may have changed; negative when that
     * cannot be known.
     */
    public long stamp() {
        return stamp;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform()
                .daemon()
                .name("ivs-configuration-listener")
                .start(this::listenWhileRunning);
    }

    @Override
    public synchronized void stop() {
        running = false;
        stamp = NOT_LISTENING;
        Thread listener = thread;
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listenWhileRunning() {
        while (running) {
            try (Connection con = connect()) {
                try (Statement st = con.createStatement()) {
                    st.execute("listen " + CHANNEL);
                    st.execute("listen " + CLIENTS_CHANNEL);
                }
                stamp = changes.incrementAndGet();
                listen(con);
            } catch (SQLException e) {
                if (running) {
                    log.warn(
                            "configuration change listener lost its connection ({}); caching"
                                    + " configurations is off until it is back",
                            e.getMessage());
                }
            } finally {
                stamp = NOT_LISTENING;
                changes.incrementAndGet();
            }
            sleep(RECONNECT_DELAY);
        }
    }

    private void listen(Connection con) throws SQLException {
        PGConnection pg = con.unwrap(PGConnection.class);
        while (running) {
            PGNotification[] notifications =
                    pg.getNotifications((int) LIVENESS_INTERVAL.toMillis());
            if (notifications != null && notifications.length > 0) {
                stamp = changes.incrementAndGet();
            } else {
                // Nothing heard for a while: make sure the connection is still there.
                try (Statement st = con.createStatement()) {
                    st.execute("select 1");
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "ivs-configuration-listener");
        return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
