package io.livecap.lifecycle;

import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.LineBreaker;
import io.livecap.delivery.CaptionHub;
import io.livecap.delivery.PushSettings;
import io.livecap.delivery.StoreException;
import io.livecap.reach.ReachClient;
import io.livecap.reach.TaskKey;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.session.Sessions;
import io.livecap.store.Database;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.store.JdbcDeliveryCheckpoints;
import io.livecap.store.JdbcLiveTaskRepository;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A transition whose REACH call succeeded while the store could not save it (a PostgreSQL restart): the runner keeps
 * it, takes no further step for the task while the store is away, and saves it once the store answers, so REACH sees
 * its {@code updateJob} exactly once and the audit trail records the transition exactly once. The store is H2 with
 * its writes refused on demand, as a JDBC store refuses them when its database is gone; REACH is the sandbox over
 * HTTP.
 */
class TransitionDuringStoreOutageTest {

    /** The tasks' table, whose writes fail while {@link #away} is set. */
    private static final class AwayStore implements LiveTaskRepository {
        private final LiveTaskRepository store;
        volatile boolean away;
        int refusedWrites;

        AwayStore(LiveTaskRepository store) {
            this.store = store;
        }

        private void write() {
            if (away) {
                refusedWrites++;
                throw new StoreException("the store is away", new SQLException("Connection refused", "08001"));
            }
        }

        @Override
        public boolean insert(LiveTask task) {
            write();
            return store.insert(task);
        }

        @Override
        public void save(LiveTask task) {
            write();
            store.save(task);
        }

        @Override
        public Optional<LiveTask> find(TaskKey key) {
            return store.find(key);
        }

        @Override
        public List<LiveTask> active() {
            return store.active();
        }

        @Override
        public void audit(TaskKey key, String kind, String detail) {
            write();
            store.audit(key, kind, detail);
        }

        @Override
        public List<String> auditTrail(TaskKey key) {
            return store.auditTrail(key);
        }
    }

    @Test
    void aTransitionTakenWhileTheStoreIsAwayIsSavedOnceLaterAndNotTakenTwice() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 60, SharedAudio.file(SharedAudio.LECTURE));
        try (ReachSandbox sandbox = ReachSandbox.start(config);
             Database db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            SandboxRegion us = sandbox.region("us");
            long id = us.addLiveTasks(1, Instant.now().plusSeconds(3_600), Duration.ofMinutes(30)).get(0);
            ReachClient client = new ReachClient(sandbox.endpoint("us", "test"));
            AwayStore tasks = new AwayStore(new JdbcLiveTaskRepository(db));
            new ReachPoller(List.of(client), tasks).poll();
            TaskKey key = new TaskKey("us", id);
            assertEquals(LiveTaskState.PENDING, tasks.find(key).orElseThrow().state());

            JdbcCaptionStore captions = new JdbcCaptionStore(db);
            CaptionHub hub = new CaptionHub(captions);
            Sessions sessions = new Sessions(TestEngines.sphinx4(), hub, LineBreaker.defaults(), ChannelStrategy.AUTO);
            LiveTaskRunner runner = new LiveTaskRunner(Map.of("us", client), tasks, sessions, hub,
                    new KalturaUplink(captions, new JdbcDeliveryCheckpoints(db), PushSettings.DEFAULT.untilStopped()),
                    new TranscriptDelivery(captions),
                    new LiveTaskStateMachine(Duration.ofSeconds(30), Duration.ofSeconds(60)), Duration.ofSeconds(30),
                    Clock.systemUTC());

            tasks.away = true;
            runner.advance(key); // PENDING -> SCHEDULED at REACH; the save is refused
            assertEquals(List.of("SCHEDULED"), us.updateJobCalls(id, false), "REACH was told once");
            assertEquals(LiveTaskState.PENDING, tasks.find(key).orElseThrow().state(), "not saved yet");
            int refused = tasks.refusedWrites;
            runner.advance(key); // still away: the kept transition is tried first, and nothing else is done
            runner.advance(key);
            assertEquals(refused + 2, tasks.refusedWrites, "each step tried the kept transition's save first");
            assertEquals(List.of("SCHEDULED"), us.updateJobCalls(id, false), "not taken again meanwhile");

            tasks.away = false;
            runner.advance(key); // the store answers: the kept transition is saved
            runner.advance(key);
            assertEquals(LiveTaskState.SCHEDULED, tasks.find(key).orElseThrow().state());
            assertEquals(List.of("SCHEDULED"), us.updateJobCalls(id, false), "one updateJob for the transition");
            assertEquals(List.of("PENDING", "SCHEDULED"), us.statusHistory(id));
            assertEquals(1, tasks.auditTrail(key).stream().filter(a -> a.startsWith("scheduled:")).count(),
                    "audited once: " + tasks.auditTrail(key));
        }
    }
}
