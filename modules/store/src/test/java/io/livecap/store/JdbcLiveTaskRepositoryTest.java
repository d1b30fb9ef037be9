package io.livecap.store;

import io.livecap.lifecycle.AssetDelivery;
import io.livecap.lifecycle.LiveTask;
import io.livecap.lifecycle.LiveTaskState;
import io.livecap.lifecycle.TaskAlert;
import io.livecap.reach.OutputFormat;
import io.livecap.reach.Secret;
import io.livecap.reach.TaskKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcLiveTaskRepositoryTest {

    private static LiveTask task(long id) {
        Instant start = Instant.parse("2026-12-02T10:00:00Z");
        return new LiveTask(new TaskKey("us", id), "0_entry" + id, 5001, 77, 900 + id, start,
                start.plusSeconds(3600), Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(2),
                OutputFormat.SRT, "en-US", "Kaltura:kaltura", Secret.of("ks-" + id), LiveTaskState.PENDING, false,
                null, null, null, Set.of(), AssetDelivery.NONE);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void registeringATaskIsIdempotentAndItsStateSurvivesARestart(Backend backend, @TempDir Path dir) {
        String url = backend.freshUrl(dir);
        LiveTask first = task(1);
        try (Database db = Database.open(url)) {
            JdbcLiveTaskRepository tasks = new JdbcLiveTaskRepository(db);
            assertTrue(tasks.insert(first));
            assertFalse(tasks.insert(first), "a second poll (or another node) registering it again is a no-op");
            assertTrue(tasks.insert(task(2)));
            tasks.save(first.withState(LiveTaskState.SCHEDULED).withAlert(TaskAlert.HALF)
                    .withDelivery(new AssetDelivery("marker-1", Instant.parse("2026-12-02T11:10:00Z"))));
            tasks.save(task(2).withError("boom"));
            tasks.audit(first.key(), "seen", "status PENDING");
            tasks.audit(first.key(), "scheduled", "REACH status SCHEDULED");
        }
        try (Database db = Database.open(url)) {
            JdbcLiveTaskRepository tasks = new JdbcLiveTaskRepository(db);
            LiveTask saved = tasks.find(first.key()).orElseThrow();
            assertEquals(LiveTaskState.SCHEDULED, saved.state());
            assertEquals(Set.of(TaskAlert.HALF), saved.alerts());
            assertEquals(new AssetDelivery("marker-1", Instant.parse("2026-12-02T11:10:00Z")), saved.delivery());
            assertEquals(first.startDate(), saved.startDate());
            assertEquals("ks-1", saved.accessKey().reveal());
            assertEquals(List.of(first.key()), tasks.active().stream().map(LiveTask::key).toList(),
                    "the failed task is not active");
            assertEquals(List.of("seen: status PENDING", "scheduled: REACH status SCHEDULED"),
                    tasks.auditTrail(first.key()));
        }
    }
}
