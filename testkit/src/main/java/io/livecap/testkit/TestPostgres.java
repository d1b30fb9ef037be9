package io.livecap.testkit;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server tests share, named by {@code LIVECAP_TEST_POSTGRES_URL} ({@code .ci/run} starts one with
 * {@code .ci/postgres-start}; so can a developer). Each {@link #freshUrl()} is a new, empty schema, so tests never
 * see each other's rows; several nodes given the same URL share one database, as a cluster does. Without the
 * variable a test that asks is skipped, saying how to get one.
 */
public final class TestPostgres {

    public static final String ENV = "LIVECAP_TEST_POSTGRES_URL";

    private TestPostgres() {
    }

    /** Whether a server is configured (tests that only add PostgreSQL to H2 may ask rather than be skipped). */
    public static boolean available() {
        String base = System.getenv(ENV);
        return base != null && !base.isBlank();
    }

    /** A JDBC URL of a new, empty schema; skips the calling test when no server is configured. */
    public static String freshUrl() {
        Assumptions.assumeTrue(available(),
                "PostgreSQL not available: set " + ENV + ", .ci/run starts one (.ci/postgres-start)");
        String base = System.getenv(ENV);
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(ENV + " is set but PostgreSQL refused: " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
