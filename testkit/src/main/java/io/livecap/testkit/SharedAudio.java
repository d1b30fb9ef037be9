package io.livecap.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The speech samples in {@code ../shared/audio} (set by surefire as {@code livecap.sharedAudio}). */
public final class SharedAudio {

    public static final String LECTURE = "lecture-flite-slt-60s";
    public static final String JFK = "jfk";
    public static final String VOSK_TEST = "vosk-test";

    private SharedAudio() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("livecap.sharedAudio", "../shared/audio"));
        assumeTrue(Files.isDirectory(dir), "skipped: shared speech samples not found at " + dir.toAbsolutePath());
        return dir;
    }

    /** The audio file of a sample: {@code name.wav} or {@code name.flac}. */
    public static Path file(String name) {
        Path wav = dir().resolve(name + ".wav");
        return Files.exists(wav) ? wav : dir().resolve(name + ".flac");
    }

    /**
     * The sample's reference with sentence case and punctuation (this kit's {@code references/NAME.cased.txt}; the
     * plain one, {@link #transcript}, is the shared directory's).
     */
    public static String casedTranscript(String name) {
        try (java.io.InputStream in = SharedAudio.class.getResourceAsStream("references/" + name + ".cased.txt")) {
            if (in == null) {
                throw new IllegalArgumentException("no cased reference for " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String transcript(String name) {
        try {
            return Files.readString(dir().resolve(name + ".txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
