package io.livecap.store;

import io.livecap.delivery.DeliveryCheckpoints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JdbcDeliveryCheckpointsTest {

    private static final String KALTURA = "wss://live.kaltura.example/captions/us/5001";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCheckpointSurvivesARestartAndNeverMovesBack(Backend backend, @TempDir Path dir) {
        String url = backend.freshUrl(dir);
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
