package io.livecap.cli;

import io.livecap.audio.WavAudio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The 12 s speech sample inside the jar, for the demo and the sandbox: no files needed to try livecap. */
public final class BundledSample {

    private static final String RESOURCE = "/io/livecap/demo/sample.wav";

    private BundledSample() {
    }

    public static WavAudio read() throws IOException {
        try (InputStream in = open()) {
            return WavAudio.read(in, "bundled sample");
        }
    }

    /** The sample as a temporary file (deleted on exit), for tools that want a path. */
    public static Path extract() throws IOException {
        Path file = Files.createTempFile("livecap-sample", ".wav");
        file.toFile().deleteOnExit();
        try (InputStream in = open()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static InputStream open() throws IOException {
        InputStream in = BundledSample.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException("the bundled speech sample is missing from the jar");
        }
        return in;
    }
}
