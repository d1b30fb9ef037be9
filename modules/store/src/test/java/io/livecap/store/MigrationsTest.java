package io.livecap.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

    /** The migrations from before PostgreSQL, when all of them sat in db/migration. */
    private static final List<String> BEFORE_THE_SPLIT = List.of("vendor/h2/V1__final_captions.sql",
            "migration/V2__caption_delivery.sql", "vendor/h2/V3__live_tasks.sql", "migration/V4__stream_seq.sql",
            "migration/V5__stream_timeline.sql", "migration/V6__caption_asset_delivery.sql",
            "migration/V7__credentials.sql");

    @Test
    void anH2DatabaseMigratedFromOneFolderOpensWithTheVendorFolders(@TempDir Path dir) throws IOException {
        Path old = Files.createDirectories(dir.resolve("old"));
        for (String file : BEFORE_THE_SPLIT) {
            try (InputStream in = getClass().getResourceAsStream("/db/" + file)) {
                Files.copy(in, old.resolve(Path.of(file).getFileName()));
            }
        }
        String url = "jdbc:h2:file:" + dir.resolve("livecap");
        Flyway.configure().dataSource(url, "livecap", "").locations("filesystem:" + old).load().migrate();
        // Flyway validates the checksums of what was applied: a changed H2 file would fail here
        try (Database db = Database.open(url)) {
            assertTrue(appliedVersions(db).containsAll(List.of("1", "2", "3", "4", "5", "6", "7")));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bothDatabasesGetEveryMigration(Backend backend, @TempDir Path dir) throws SQLException {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            List<String> versions = appliedVersions(db);
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), versions.subList(0, 7));
        }
    }

    private static List<String> appliedVersions(Database db) {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
