package io.livecap.store;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The databases the store tests run on: an H2 file, and PostgreSQL when {@code LIVECAP_TEST_POSTGRES_URL} names one
 * (.ci/run starts one; without it those runs are skipped, saying so). Each test gets a fresh schema. The same as
 * testkit's TestPostgres, which this module cannot use (the test kit depends on it).
 */
enum Backend {
    H2, POSTGRESQL;

    static final String ENV = "LIVECAP_TEST_POSTGRES_URL";

    /** A fresh, empty database of this kind: a file in {@code dir}, or a new PostgreSQL schema. */
    String freshUrl(Path dir) {
        if (this == H2) {
            return "jdbc:h2:file:" + dir.resolve("livecap");
        }
        String base = System.getenv(ENV);
        Assumptions.assumeTrue(base != null && !base.isBlank(),
                "PostgreSQL not available: set " + ENV + ", .ci/run starts one (.ci/postgres-start)");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(ENV + " is set but PostgreSQL refused: " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
