package io.livecap.cli;

import io.livecap.client.CaptionClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestAuthority;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feed} and {@code listen} on a TLS-only server: with {@code --ca-file} they work, without it they say why. */
@Timeout(180)
class TlsFeedListenTest {

    private record Run(int exitCode, String err) {
    }

    private static Run run(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true);
        System.setErr(capture);
        try {
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(capture, true));
            return new Run(cli.execute(args), printed.toString());
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void feedAndListenTalkWssWithTheCaFile(@TempDir Path dir) throws Exception {
        TestAuthority authority = TestAuthority.issueForLocalhost(dir);
        try (LivecapNode node = LivecapNode.start(TestConfig.tls(authority, true), TestEngines.pocketsphinx())) {
            String base = "wss://localhost:" + node.port();
            String audio = SharedAudio.file(SharedAudio.JFK).toString();

            Run untrusted = run("feed", audio, "--url", base + "/v1/ingest/cli-untrusted");
            assertNotEquals(0, untrusted.exitCode());
            assertTrue(untrusted.err().contains("TLS failed") && untrusted.err().contains("--ca-file"),
                    untrusted.err());

            try (CaptionClient captions = new CaptionClient(node.url("/v1/captions/cli-tls"))
                    .trusting(authority.clientContext())) {
                captions.connect(10_000);
                Run fed = run("feed", audio, "--url", base + "/v1/ingest/cli-tls", "--ca-file",
                        authority.caPem().toString());
                assertEquals(0, fed.exitCode(), fed.err());
                captions.awaitEos(60_000);
                assertFalse(captions.finals().isEmpty(), "finals over wss from a stream fed by the CLI");
            }

            Run listened = run("listen", "--url", base + "/v1/captions/cli-tls", "--ca-file",
                    authority.caPem().toString());
            assertEquals(ListenCommand.ENDED, listened.exitCode(), listened.err());
            assertTrue(listened.err().contains("ended"), listened.err());
        }
    }
}
