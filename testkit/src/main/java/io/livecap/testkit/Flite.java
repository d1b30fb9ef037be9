package io.livecap.testkit;

import io.livecap.audio.WavAudio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Speech made at test time with flite (Debian package {@code flite}) and sox, so tests can use sentences no engine
 * was tuned on. Voices the CMU models recognise: {@code slt}, {@code rms}, {@code awb}, {@code kal16}.
 */
public final class Flite {

    private Flite() {
    }

    /** {@code text} spoken by {@code voice}, as 16 kHz mono 16-bit samples. */
    public static short[] say(Path dir, String voice, String text) throws IOException, InterruptedException {
        Path raw = Files.createTempFile(dir, "flite-" + voice + "-", ".wav");
        Process flite;
        try {
            flite = new ProcessBuilder("flite", "-voice", voice, "-t", text, "-o", raw.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: flite not found (" + e.getMessage() + "); install it: apt-get install flite");
            throw e;
        }
        String output = new String(flite.getInputStream().readAllBytes());
        if (!flite.waitFor(60, TimeUnit.SECONDS) || flite.exitValue() != 0) {
            throw new IOException("flite -voice " + voice + " failed: " + output);
        }
        Path out = Sox.run(raw, raw.resolveSibling(raw.getFileName() + ".16k.wav"), "channels", "1",
                "rate", "16000");
        return WavAudio.read(out).samples();
    }
}
