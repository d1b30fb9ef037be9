package io.livecap.cli;

import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code feed} and {@code listen} say what went wrong in the server's own words: connection refused, the HTTP
 * status and body of a refused websocket, the error a stream was closed with, and a stream that has ended.
 */
@Timeout(120)
class FeedAndListenErrorsTest {

    private static LivecapNode node;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private record Run(int exitCode, String err) {
    }

    /** Runs the command line in-process; everything it prints on stderr (its own lines and picocli's) is kept. */
    private static Run run(String... args) {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(printed, true);
        System.setErr(capture);
        try {
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(capture, true));
            int code = cli.execute(args);
            return new Run(code, printed.toString());
        } finally {
            System.setErr(stderr);
        }
    }

    private static String url(String path) {
        return "ws://localhost:" + node.port() + path;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void feedToAPortNobodyListensOnSaysConnectionRefused() throws Exception {
        Run run = run("feed", SharedAudio.file(SharedAudio.JFK).toString(), "--url",
                "ws://localhost:" + closedPort() + "/v1/ingest/x");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("connection refused"), run.err());
        assertFalse(run.err().contains("WebsocketNotConnectedException"), run.err());
    }

    @Test
    void listenToAPortNobodyListensOnSaysConnectionRefused() throws Exception {
        Run run = run("listen", "--url", "ws://localhost:" + closedPort() + "/v1/captions/x");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("connection refused"), run.err());
    }

    @Test
    void feedWithABadStreamIdPrintsTheServersStatusAndReason() {
        Run run = run("feed", SharedAudio.file(SharedAudio.JFK).toString(), "--url", url("/v1/ingest/" + "x".repeat(200)));
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("HTTP 400") && run.err().contains("stream ids are 1-128 characters"), run.err());
    }

    @Test
    void feedToABusyStreamPrintsTheServersError() throws Exception {
        try (IngestClient holder = new IngestClient(URI.create(url("/v1/ingest/busy-one")))) {
            holder.connect(5_000);
            holder.start(Map.of("type", "start"), 10_000);
            Run run = run("feed", SharedAudio.file(SharedAudio.JFK).toString(), "--url", url("/v1/ingest/busy-one"));
            assertEquals(1, run.exitCode(), run.err());
            assertTrue(run.err().contains("stream_busy") && run.err().contains("already has a live source"),
                    run.err());
        }
    }

    @Test
    void listenOnAStreamThatHasEndedSaysSo() {
        Run fed = run("feed", SharedAudio.file(SharedAudio.JFK).toString(), "--url", url("/v1/ingest/over-now"));
        assertEquals(0, fed.exitCode(), fed.err());
        Run run = run("listen", "--url", url("/v1/captions/over-now"));
        assertEquals(ListenCommand.ENDED, run.exitCode(), run.err());
        assertTrue(run.err().contains("no live stream over-now: it ended") && run.err().contains("from_seq=0"),
                run.err());
    }
}
