package io.livecap.reach;

import io.livecap.testkit.SocketProbe;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.livecap.sandbox.Fault;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole rehearsal at DEBUG, errors and retries included: no KS, access key, media key or caption token appears in
 * a log line, an exception message or a model's toString.
 */
class SecretsStayOutOfLogsTest {

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger livecap = (Logger) LoggerFactory.getLogger("io.livecap");
    private Level previousLevel;
    private ReachSandbox sandbox;

    @BeforeEach
    void capture() {
        previousLevel = livecap.getLevel();
        livecap.setLevel(Level.DEBUG);
        captured.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(captured);
    }

    @AfterEach
    void release() {
        if (sandbox != null) {
            sandbox.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(captured);
        livecap.setLevel(previousLevel);
    }

    @Test
    void noCredentialIsEverLoggedOrPutInAMessage() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 2, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        List<String> secrets = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"), new RetryPolicy(30,
                Duration.ofMillis(10), Duration.ofMillis(60), Duration.ofMillis(250), Duration.ofMillis(250),
                Duration.ofSeconds(20)));
        secrets.add(sandbox.vendorKs("us").reveal());

        List<EntryVendorTask> tasks = client.getJobs(TaskStatus.PENDING);
        EntryVendorTask task = tasks.get(0);
        secrets.add(task.accessKey().reveal());
        texts.add(task.toString());
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.SCHEDULED));
        ScheduleEvent event = client.getScheduleEvent(task.access().get(), task.taskJobData().scheduledEventId());
        LiveCaptionFeature feature = event.captionFeatures().get(0);
        secrets.add(feature.mediaKey().reveal());
        secrets.add(feature.captionToken().reveal());
        texts.add(event.toString());

        // an expired key, then an extension, with faults on the way
        sandbox.region("us").expireAccessKey(task.id());
        texts.add(failure(() -> client.get(task.access().get())));
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.PROCESSING));
        sandbox.injectFaults(Fault.http500(Duration.ofMillis(200)), Fault.stall(Duration.ofMillis(300),
                Duration.ofMillis(600)));
        EntryVendorTask extended = client.extendAccessKey(task.id());
        secrets.add(extended.accessKey().reveal());
        CaptionAsset asset = client.addCaptionAsset(extended.access().get(), task.entryId(),
                new NewCaptionAsset(OutputFormat.SRT, "English", null, 80), "livecap:test");
        client.setCaptionContent(extended.access().get(), asset.id(), "1\n00:00:00,000 --> 00:00:01,000\nhi\n");

        // a KS the server does not know: Kaltura's INVALID_KS message repeats it
        String bogus = "djJ8bogus" + System.nanoTime();
        secrets.add(bogus);
        ReachClient impostor = new ReachClient(new ReachEndpoint("us", sandbox.endpoint("us", "1").serviceUrl(),
                12345, "vendor", Secret.of(bogus), "1.0.0"));
        String refused = failure(() -> impostor.getJobs(TaskStatus.PENDING));
        assertTrue(refused.contains("INVALID_KS: Invalid KS \"***\""), "the echoed KS is scrubbed: " + refused);
        texts.add(refused);
        texts.add(failure(() -> client.get(new TaskAccess(task.id(), Secret.of(bogus)))));

        // websockets with wrong and right credentials
        SocketProbe badMedia = SocketProbe.open(feature.mediaUrl(), "wrong");
        assertEquals(1008, badMedia.awaitClose(5));
        SocketProbe captions = SocketProbe.open(feature.captionUrl(), feature.captionToken().reveal());
        captions.send("{\"type\":\"caption\",\"seq\":0,\"final\":true,\"text\":\"hello\"}");
        assertTrue(sandbox.region("us").awaitCaptions(task.id(), 1, Duration.ofSeconds(5)));
        SocketProbe tokenInQuery = SocketProbe.open(URI.create(feature.captionUrl() + "?token=nope"), null);
        assertEquals(1008, tokenInQuery.awaitClose(5));
        captions.close();

        texts.add(sandbox.report().toString().replace(secrets.get(0), "")); // the report names no credential
        for (ILoggingEvent event1 : captured.list) {
            texts.add(event1.getFormattedMessage());
            if (event1.getThrowableProxy() != null) {
                texts.add(ThrowableProxyUtil.asString(event1.getThrowableProxy()));
            }
        }
        assertTrue(captured.list.stream().anyMatch(e -> e.getLoggerName().startsWith("io.livecap.reach")
                && e.getLevel() == Level.WARN), "the retries were logged");
        assertTrue(captured.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG), "DEBUG was on");
        for (String text : texts) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a credential leaked into: " + text.replace(secret, "<SECRET>"));
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String failure(Call call) {
        try {
            call.run();
        } catch (Exception e) {
            return e + " " + e.getMessage() + (e instanceof ReachApiException api ? " " + api.args() : "");
        }
        throw new AssertionError("the call was expected to fail");
    }
}
