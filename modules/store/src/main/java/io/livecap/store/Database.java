package io.livecap.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * livecap's embedded database: an H2 file by default ({@code store.url}), brought to the current schema by Flyway
 * ({@code src/main/resources/db/migration}) when opened, so an upgraded livecap migrates its own data.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final JdbcConnectionPool pool;
    private final String url;
    private final H2Housekeeping housekeeping; // null: not an embedded H2 file
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);

    private Database(JdbcConnectionPool pool, String url, H2Housekeeping housekeeping) {
        this.pool = pool;
        this.url = url;
        this.housekeeping = housekeeping;
    }

    /** Opens (creating if needed) and migrates the database at {@code jdbcUrl}. */
    public static Database open(String jdbcUrl) {
        String url = jdbcUrl;
        if (url.startsWith("jdbc:h2:")) {
            // livecap closes the database itself, after the last step of every task has been saved; H2's own
            // shutdown hook would close it under them
            url = withSetting(url, "DB_CLOSE_ON_EXIT", "FALSE");
            // "stored before it is sent" must survive a SIGKILL: H2 otherwise flushes commits up to 500 ms late
            url = withSetting(url, "WRITE_DELAY", "0");
            // each commit writes a chunk, and H2 keeps a dead chunk's space unused for RETENTION_TIME (45 s by
            // default): at tens of commits a second that alone held megabytes. A crash (not a power cut) never
            // needs old chunks, so one second is enough
            url = withSetting(url, "RETENTION_TIME", "1000");
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "livecap", "");
        pool.setMaxConnections(16);
        var result = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        log.info("database {} ready ({} migrations applied now)", redact(jdbcUrl), result.migrationsExecuted);
        return new Database(pool, jdbcUrl, H2Housekeeping.start(pool, HOUSEKEEPING_INTERVAL));
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public String url() {
        return redact(url);
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        pool.dispose();
    }

    private static String withSetting(String url, String name, String value) {
        return url.toUpperCase(java.util.Locale.ROOT).contains(";" + name + "=") ? url : url + ";" + name + "=" + value;
    }

    /** JDBC URLs may carry passwords; never log them. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
