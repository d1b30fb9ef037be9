package io.livecap.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.reach.EntryVendorTask;
import io.livecap.reach.LiveCaptionFeature;
import io.livecap.reach.ReachClient;
import io.livecap.reach.Secret;
import io.livecap.reach.TaskStatus;
import io.livecap.reach.TaskUpdate;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.testkit.SharedAudio;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A live event of the REACH sandbox with its task PROCESSING, read the way livecap reads it (getJobs, the schedule
 * event's caption feature), and what its captionUrl received.
 */
final class LiveEvent implements AutoCloseable {

    private final ReachSandbox sandbox;
    private final long taskId;
    private final LiveCaptionFeature feature;

    private LiveEvent(ReachSandbox sandbox, long taskId, LiveCaptionFeature feature) {
        this.sandbox = sandbox;
        this.taskId = taskId;
        this.feature = feature;
    }

    static LiveEvent start() throws Exception {
        ReachSandbox sandbox = ReachSandbox.start(SandboxConfig.of(0, 1, 0, 600,
                SharedAudio.file(SharedAudio.LECTURE)));
        try {
            ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));
            EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
            client.updateJob(task.id(), TaskUpdate.to(TaskStatus.SCHEDULED));
            client.updateJob(task.id(), TaskUpdate.to(TaskStatus.PROCESSING));
            LiveCaptionFeature feature = client.getScheduleEvent(task.access().get(),
                    task.taskJobData().scheduledEventId()).captionFeatures().get(0);
            return new LiveEvent(sandbox, task.id(), feature);
        } catch (Exception e) {
            sandbox.close();
            throw e;
        }
    }

    URI captionUrl() {
        return feature.captionUrl();
    }

    Secret captionToken() {
        return feature.captionToken();
    }

    /** The sandbox report's {@code captions} of the task: seq, duplicates, gaps, outOfOrder, connections, eos. */
    JsonNode received() {
        return sandbox.report().path("regions").get(0).path("tasks").get(0).path("captions");
    }

    List<Long> receivedSeqs() {
        return longs(received().path("seq"));
    }

    /** The seqs that arrived more than once. */
    List<Long> duplicates() {
        return longs(received().path("duplicates"));
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asLong()));
        return values;
    }

    boolean awaitMessages(int count, Duration timeout) throws InterruptedException {
        return sandbox.region("us").awaitCaptions(taskId, count, timeout);
    }

    List<String> violations() {
        return sandbox.region("us").violations(taskId);
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
