package io.livecap.reach;

import io.livecap.testkit.SocketProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.ingest.Ffmpeg;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A live event end to end over real sockets: its media, its caption websocket, cancellation, the report. */
class SandboxLiveEventTest {

    private static final Pattern FIRST_PTS = Pattern.compile("Parsed_ashowinfo.*? pts_time:([0-9.]+)");
    private ReachSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theMediaUrlPlaysTheSampleLiveFromTheEventStart(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 1, 1, 30, SharedAudio.file(SharedAudio.LECTURE))
                .withMedia(Duration.ofHours(1), SandboxConfig.StereoMode.PHASE_INVERTED_RIGHT));
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        LiveCaptionFeature feature = client.getScheduleEvent(task.access().get(),
                task.taskJobData().scheduledEventId()).captionFeatures().get(0);

        SocketProbe media = SocketProbe.open(feature.mediaUrl(), feature.mediaKey().reveal());
        long tookNanos = media.whenBytes(75_000).get(20, TimeUnit.SECONDS);
        byte[] ts = media.bytes();
        media.close();

        assertTrue(media.messageSizes().stream().allMatch(size -> size % 188 == 0), "whole MPEG-TS packets");
        Path tsFile = Files.write(dir.resolve("live.ts"), ts);
        Path pcmFile = dir.resolve("live.pcm");
        Process decode = Ffmpeg.command(List.of("-nostdin", "-nostats", "-copyts", "-correct_ts_overflow", "0",
                        "-i", tsFile.toString(), "-af", "ashowinfo", "-f", "s16le", "-ac", "2", "-ar", "16000",
                        "-y", pcmFile.toString()))
                .redirectErrorStream(true).start();
        String log = new String(decode.getInputStream().readAllBytes());
        assertTrue(decode.waitFor(30, TimeUnit.SECONDS) && decode.exitValue() == 0, log);

        ByteBuffer pcm = ByteBuffer.wrap(Files.readAllBytes(pcmFile)).order(ByteOrder.LITTLE_ENDIAN);
        double decodedSeconds = pcm.remaining() / 4 / 16000.0;
        double wallSeconds = tookNanos / 1e9;
        assertTrue(wallSeconds > 1.5, "paced in real time, not a burst: " + wallSeconds + " s");
        assertEquals(wallSeconds, decodedSeconds, 1.0, "as much audio as time went by");

        Matcher pts = FIRST_PTS.matcher(log);
        assertTrue(pts.find(), log);
        assertEquals(3600.0, Double.parseDouble(pts.group(1)), 0.5, "pts of the event timeline from its start");

        double left = 0;
        double right = 0;
        double product = 0;
        while (pcm.remaining() >= 4) {
            double l = pcm.getShort();
            double r = pcm.getShort();
            left += l * l;
            right += r * r;
            product += l * r;
        }
        double frames = decodedSeconds * 16000;
        assertTrue(Math.sqrt(left / frames) > 300, "speech in the left channel");
        assertTrue(product / Math.sqrt(left * right) < -0.95, "the right channel is the inverted left");

        SocketProbe intruder = SocketProbe.open(feature.mediaUrl(), "not-the-key");
        assertEquals(1008, intruder.awaitClose(5));
        assertTrue(sandbox.region("us").violations(task.id()).get(0).contains("wrong or missing mediaKey"));
    }

    @Test
    void aViewerJoiningLateHearsWhatIsLiveNow(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // the event began 20 s before the sandbox started
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 1, -20, 60, SharedAudio.file(SharedAudio.LECTURE)));
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        ScheduleEvent event = client.getScheduleEvent(task.access().get(), task.taskJobData().scheduledEventId());
        LiveCaptionFeature feature = event.captionFeatures().get(0);

        double intoEvent = (System.currentTimeMillis() - event.startDate().toEpochMilli()) / 1000.0;
        SocketProbe media = SocketProbe.open(feature.mediaUrl(), feature.mediaKey().reveal());
        media.whenBytes(20_000).get(20, TimeUnit.SECONDS);
        media.close();

        Path tsFile = Files.write(dir.resolve("late.ts"), media.bytes());
        Process probe = Ffmpeg.command(List.of("-nostdin", "-nostats", "-copyts", "-correct_ts_overflow", "0",
                "-i", tsFile.toString(), "-af", "ashowinfo", "-f", "null", "-")).redirectErrorStream(true).start();
        String log = new String(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), log);
        Matcher pts = FIRST_PTS.matcher(log);
        assertTrue(pts.find(), log);
        // the schedule event's times are whole seconds, hence the tolerance
        assertEquals(3600.0 + intoEvent, Double.parseDouble(pts.group(1)), 1.5, "the live point's pts");
    }

    @Test
    void theCaptionUrlRecordsEveryMessageAndTheReportShowsDuplicatesAndGaps() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 1, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        SandboxRegion region = sandbox.region("us");
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        LiveCaptionFeature feature = client.getScheduleEvent(task.access().get(),
                task.taskJobData().scheduledEventId()).captionFeatures().get(0);
        SocketProbe media = SocketProbe.open(feature.mediaUrl(), feature.mediaKey().reveal());

        SocketProbe captions = SocketProbe.open(feature.captionUrl(), feature.captionToken().reveal());
        for (String message : List.of(
                "{\"type\":\"caption\",\"seq\":0,\"final\":false,\"text\":\"the\"}",
                "{\"type\":\"caption\",\"seq\":1,\"final\":true,\"text\":\"the committee\"}",
                "{\"type\":\"caption\",\"seq\":1,\"final\":true,\"text\":\"the committee\"}",
                "{\"type\":\"caption\",\"seq\":3,\"final\":true,\"text\":\"will meet\"}",
                "{\"type\":\"eos\",\"seq\":3}")) {
            captions.send(message);
        }
        assertTrue(region.awaitCaptions(task.id(), 5, Duration.ofSeconds(5)));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                sandbox.httpBase().resolve("/sandbox/report")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode report = new ObjectMapper().readTree(response.body()).path("regions").get(0).path("tasks").get(0);
        JsonNode received = report.path("captions");
        assertEquals(5, received.path("count").asInt());
        assertEquals("[0,1,1,3]", received.path("seq").toString());
        assertEquals("[1]", received.path("duplicates").toString());
        assertEquals("[\"2\"]", received.path("gaps").toString());
        assertEquals(2, received.path("finals").asInt(), "distinct final captions: 1 and 3");
        assertTrue(received.path("eos").asBoolean());
        assertTrue(report.path("warnings").toString().contains("captions pushed while the task is PENDING"));

        region.cancel(task.id());
        assertEquals(1008, captions.awaitClose(5), "cancelling closes the caption socket");
        assertEquals(1008, media.awaitClose(5), "and the media");
        SocketProbe again = SocketProbe.open(feature.captionUrl(), feature.captionToken().reveal());
        assertEquals(1008, again.awaitClose(5));
        assertTrue(region.violations(task.id()).stream().anyMatch(v -> v.contains("after the task was cancelled")));
    }
}
