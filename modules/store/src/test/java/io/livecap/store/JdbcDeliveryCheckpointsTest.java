package io.livecap.store;

import io.livecap.delivery.DeliveryCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JdbcDeliveryCheckpointsTest {

    private static final String KALTURA = "wss://live.kaltura.example/captions/us/5001";

    @Test
    void aCheckpointSurvivesARestartAndNeverMovesBack(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("livecap");
        try (Database db = Database.open(url)) {
            DeliveryCheckpoints checkpoints = new JdbcDeliveryCheckpoints(db);
            assertEquals(0, checkpoints.confirmedSeq("ev42", KALTURA));
            checkpoints.confirm("ev42", KALTURA, 17);
            checkpoints.confirm("ev42", KALTURA, 12); // a late pong of an older ping
            checkpoints.confirm("ev42", "wss://other.example/captions", 3);
        }
        try (Database db = Database.open(url)) {
            DeliveryCheckpoints checkpoints = new JdbcDeliveryCheckpoints(db);
            assertEquals(17, checkpoints.confirmedSeq("ev42", KALTURA));
            assertEquals(3, checkpoints.confirmedSeq("ev42", "wss://other.example/captions"));
            assertEquals(0, checkpoints.confirmedSeq("ev43", KALTURA));
            checkpoints.confirm("ev42", KALTURA, 18);
            assertEquals(18, checkpoints.confirmedSeq("ev42", KALTURA));
        }
    }
}
