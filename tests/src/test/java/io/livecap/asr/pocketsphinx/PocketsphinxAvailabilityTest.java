package io.livecap.asr.pocketsphinx;

import io.livecap.asr.EngineUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PocketsphinxAvailabilityTest {

    @Test
    void aMissingModelDirectoryIsUnavailableAndSaysWhichAptPackagesToInstall(@TempDir Path dir) {
        Path nowhere = dir.resolve("no-such-model");
        String reason = PocketsphinxEngine.unavailableReason(nowhere).orElseThrow();
        assertTrue(reason.contains("apt-get install libpocketsphinx3 pocketsphinx-en-us"), reason);
        assertFalse(reason.contains("\n"), "one line: " + reason);

        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> PocketsphinxEngine.load(nowhere));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void aModelWithoutItsLanguageModelIsUnavailableAndNamesTheMissingFile(@TempDir Path dir) throws Exception {
        Lecture.assumeEngineAvailable();
        // a copy of the installed model's layout, minus en-us.lm.bin
        Path model = Files.createDirectories(dir.resolve("en-us-model"));
        Files.createSymbolicLink(model.resolve("en-us"), PocketsphinxEngine.DEFAULT_MODEL.resolve("en-us"));
        Files.createSymbolicLink(model.resolve("cmudict-en-us.dict"),
                PocketsphinxEngine.DEFAULT_MODEL.resolve("cmudict-en-us.dict"));

        String reason = PocketsphinxEngine.unavailableReason(model).orElseThrow();
        assertTrue(reason.contains("en-us.lm.bin") && reason.contains("pocketsphinx-en-us"), reason);
    }

    @Test
    void aCorruptLanguageModelFailsToLoadWithPocketsphinxsOwnReason(@TempDir Path dir) throws Exception {
        Lecture.assumeEngineAvailable();
        Path model = Files.createDirectories(dir.resolve("en-us-model"));
        Files.createSymbolicLink(model.resolve("en-us"), PocketsphinxEngine.DEFAULT_MODEL.resolve("en-us"));
        Files.createSymbolicLink(model.resolve("cmudict-en-us.dict"),
                PocketsphinxEngine.DEFAULT_MODEL.resolve("cmudict-en-us.dict"));
        Files.writeString(model.resolve("en-us.lm.bin"), "not a language model\n");

        assertTrue(PocketsphinxEngine.unavailableReason(model).isEmpty(), "every file is there");
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> PocketsphinxEngine.load(model));
        // the failing call, then pocketsphinx's own words for why
        assertTrue(e.getMessage().contains("ps_init failed") && e.getMessage().contains("en-us.lm.bin"),
                e.getMessage());
    }

    @Test
    void theInstalledModelIsAvailable() {
        Lecture.assumeEngineAvailable();
        assertEquals("pocketsphinx", new PocketsphinxProvider().name());
        assertTrue(PocketsphinxEngine.unavailableReason(PocketsphinxEngine.DEFAULT_MODEL).isEmpty());
    }
}
