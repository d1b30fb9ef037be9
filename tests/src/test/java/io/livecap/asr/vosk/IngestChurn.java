package io.livecap.asr.vosk;

import io.livecap.client.AudioFeeder;
import io.livecap.client.IngestClient;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link RecognizerChurn} through the whole server: each cycle is an ingest websocket that sends part of an
 * utterance and then vanishes, so its session must close its recogniser. Run in a JVM of its own by
 * {@link VoskOverIngestTest}, for the same reason (a small fixed heap, so RSS shows native memory).
 *
 * <p>Arguments: models directory, raw s16le 16 kHz audio, number of cycles. Prints {@code warm}, {@code churned} and
 * {@code held} in kB, as {@link RecognizerChurn} does.
 */
final class IngestChurn {

    /**
     * Each session is a new thread calling into libvosk, and glibc gives such threads malloc arenas of their own
     * (up to 8 per core) that stay mapped after the thread ends: memory that is reused, not leaked. The warm-up
     * fills them, so the cycles measured after it show what sessions keep.
     */
    static final int WARM_UP = 200;

    private IngestChurn() {
    }

    public static void main(String[] args) throws Exception {
        short[] audio = RecognizerChurn.readPcm(Path.of(args[1]));
        int cycles = Integer.parseInt(args[2]);
        LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0",
                "server.host", "127.0.0.1", "engine.name", "vosk", "engine.vosk_model", args[0],
                "store.url", "jdbc:h2:mem:churn;DB_CLOSE_DELAY=-1", "auth.enabled", "false"));
        try (LivecapNode node = LivecapNode.start(config)) {
            for (int i = 0; i < WARM_UP; i++) {
                cycle(node, "warm-" + i, audio);
            }
            long warm = RecognizerChurn.rssKb();
            for (int i = 0; i < cycles; i++) {
                cycle(node, "churn-" + i, audio);
            }
            long churned = RecognizerChurn.rssKb();
            List<IngestClient> held = new ArrayList<>();
            for (int i = 0; i < RecognizerChurn.HELD; i++) {
                held.add(open(node, "held-" + i, audio));
            }
            while (node.sessions().live().stream().anyMatch(s -> s.backlogMs() > 0 || s.audioMs() == 0)) {
                Thread.sleep(5); // polling until every held stream has taken its audio into its recogniser
            }
            long heldKb = RecognizerChurn.rssKb();
            held.forEach(IngestClient::close);
            System.out.println("warm=" + warm);
            System.out.println("churned=" + churned);
            System.out.println("held=" + heldKb);
        }
    }

    private static IngestClient open(LivecapNode node, String id, short[] audio) throws Exception {
        IngestClient client = new IngestClient(node.url("/v1/ingest/" + id));
        client.connect(5_000);
        AudioFeeder feeder = new AudioFeeder().chunkMs(100);
        AudioFeeder.Source source = AudioFeeder.of(audio, 16_000, 1);
        client.start(feeder.startMessage(source), 5_000);
        feeder.feedChunks(source, client, false);
        return client;
    }

    /** One source that sends part of an utterance and vanishes; returns when its session has ended. */
    private static void cycle(LivecapNode node, String id, short[] audio) throws Exception {
        IngestClient client = open(node, id, audio);
        client.vanish();
        while (node.sessions().get(id).isPresent()) {
            Thread.sleep(2); // polling until the session has ended and closed its recogniser
        }
    }
}
