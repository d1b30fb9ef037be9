package io.livecap.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/**
 * livecap's database, brought to the current schema by Flyway when opened, so an upgraded livecap migrates its own
 * data. Either an embedded H2 file ({@code store.url=jdbc:h2:...}, the single-node default) or a PostgreSQL server
 * ({@code jdbc:postgresql://...}) that several nodes share, through a HikariCP pool. The migrations are
 * {@code db/migration} (SQL both accept) plus {@code db/vendor/<h2|postgresql>} for the two early files whose H2
 * text PostgreSQL refuses.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Which SQL the database speaks, where the two differ. */
    public enum Kind {
        H2, POSTGRESQL;

        /** H2 files are opened by one process at a time: a single node by construction. */
        public boolean embedded() {
            return this == H2;
        }
    }

    /** How often an embedded H2 file is compacted (see H2Housekeeping). */
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);

    private final DataSource pool;
    private final AutoCloseable closer;
    private final String url;
    private final Kind kind;
    /** What uses the pool for good (the caption relay's listener): closed before it. */
    private final java.util.List<AutoCloseable> users = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Database(DataSource pool, AutoCloseable closer, String url, Kind kind) {
        this.pool = pool;
        this.closer = closer;
        this.url = url;
        this.kind = kind;
    }

    /** Opens (creating if needed) and migrates the database at {@code jdbcUrl} (H2; PostgreSQL with the URL's user). */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, "", "", 16);
    }

    /**
     * @param user     "" = the URL's own (or H2's "livecap")
     * @param password never logged
     * @param maxConnections the pool's size
     */
    public static Database open(String jdbcUrl, String user, String password, int maxConnections) {
        Kind kind = kindOf(jdbcUrl);
        Database db = kind == Kind.H2 ? openH2(jdbcUrl, user, password, maxConnections)
                : openPostgres(jdbcUrl, user, password, maxConnections);
        try {
            var result = Flyway.configure().dataSource(db.pool)
                    .locations("classpath:db/migration", "classpath:db/vendor/" + kind.name().toLowerCase(Locale.ROOT))
                    .load().migrate();
            log.info("database {} ready ({} migrations applied now)", db.url(), result.migrationsExecuted);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static Kind kindOf(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return Kind.H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return Kind.POSTGRESQL;
        }
        throw new IllegalArgumentException("store.url must be jdbc:h2:... or jdbc:postgresql://..., got "
                + redact(jdbcUrl));
    }

    private static Database openH2(String jdbcUrl, String user, String password, int maxConnections) {
        // livecap closes the database itself, after the last step of every task has been saved; H2's own
        // shutdown hook would close it under them
        String url = withSetting(jdbcUrl, "DB_CLOSE_ON_EXIT", "FALSE");
        // "stored before it is sent" must survive a SIGKILL: H2 otherwise flushes commits up to 500 ms late
        url = withSetting(url, "WRITE_DELAY", "0");
        // each commit writes a chunk, and H2 keeps a dead chunk's space unused for RETENTION_TIME (45 s by
        // default): at tens of commits a second that alone held megabytes. A crash (not a power cut) never
        // needs old chunks, so one second is enough
        url = withSetting(url, "RETENTION_TIME", "1000");
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, user.isEmpty() ? "livecap" : user, password);
        pool.setMaxConnections(maxConnections);
        H2Housekeeping housekeeping = H2Housekeeping.start(pool, HOUSEKEEPING_INTERVAL); // null: not a file
        return new Database(pool, () -> {
            if (housekeeping != null) {
                housekeeping.close();
            }
            pool.dispose();
        }, jdbcUrl, Kind.H2);
    }

    private static Database openPostgres(String jdbcUrl, String user, String password, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (!user.isEmpty()) {
            config.setUsername(user);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxConnections);
        config.setPoolName("livecap-store");
        // a node that cannot reach its store should say so within seconds, not hang a step for Hikari's 30 s
        config.setConnectionTimeout(10_000);
        // fail at start, with PostgreSQL's own reason, rather than at the first caption
        config.setInitializationFailTimeout(10_000);
        return new Database(new HikariDataSource(config), null, jdbcUrl, Kind.POSTGRESQL);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return redact(url);
    }

    /** Closes {@code user} first when the database closes; returns it. */
    public <T extends AutoCloseable> T closesFirst(T user) {
        users.add(0, user);
        return user;
    }

    @Override
    public void close() {
        for (AutoCloseable user : users) {
            try {
                user.close();
            } catch (Exception e) {
                log.warn("closing {} before database {}: {}", user, url(), e.getMessage());
            }
        }
        users.clear();
        try {
            if (closer != null) {
                closer.close();
            } else if (pool instanceof HikariDataSource hikari) {
                hikari.close();
            }
        } catch (Exception e) {
            log.warn("closing database {}: {}", url(), e.getMessage());
        }
    }

    /** A unique or primary key refused a row (SQLSTATE 23505, H2 and PostgreSQL alike). */
    static boolean duplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static String withSetting(String url, String name, String value) {
        return url.toUpperCase(Locale.ROOT).contains(";" + name + "=") ? url : url + ";" + name + "=" + value;
    }

    /** JDBC URLs may carry passwords; never log them. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
