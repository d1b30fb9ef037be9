package io.livecap.ingest;

import io.livecap.testkit.TestMedia;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioFileReaderTest {

    @Test
    void readsMpegTsFilesWhichCrashJavesOwnProbe() throws Exception {
        Path ts = TestMedia.encoded("lecture-10s-48k.ts", "-t", "10", "-ac", "2", "-ar", "48000", "-c:a", "aac",
                "-f", "mpegts");
        try (AudioFileReader reader = AudioFileReader.open(ts)) {
            assertEquals(48_000, reader.sampleRate());
            assertEquals(2, reader.channels());
            long bytes = 0;
            byte[] buffer = new byte[65_536];
            int n;
            while ((n = reader.read(buffer)) > 0) {
                bytes += n;
            }
            assertEquals(10_000, bytes / 4 * 1000 / 48_000, 100, "ms of audio");
        }
    }

    @Test
    void readsTheMonoWavAsMono() throws Exception {
        try (AudioFileReader reader = AudioFileReader.open(SharedAudio.file(SharedAudio.LECTURE))) {
            assertEquals(16_000, reader.sampleRate());
            assertEquals(1, reader.channels());
        }
    }

    @Test
    void aFileWithoutAudioIsRefusedWithFfmpegsReason() throws Exception {
        Path text = Files.createTempFile("not-audio", ".txt");
        try {
            Files.writeString(text, "no audio here");
            IOException e = assertThrows(IOException.class, () -> AudioFileReader.open(text));
            assertTrue(e.getMessage().contains("no audio stream"), e.getMessage());
        } finally {
            Files.delete(text);
        }
    }
}
