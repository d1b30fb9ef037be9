package io.livecap.asr.vosk;

import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.StreamOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding and loading models, and what an operator is told when there is none. */
class VoskEngineTest {

    @TempDir
    Path dir;

    @Test
    void aMissingModelIsUnavailableAndNamesTheFetchCommand() {
        EngineUnavailableException missing = assertThrows(EngineUnavailableException.class,
                () -> VoskEngine.load(dir.resolve("vosk-model-small-en-us-0.15")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertTrue(missing.getMessage().contains("models/fetch vosk-model-small-en-us-0.15"), missing.getMessage());

        EngineUnavailableException none = assertThrows(EngineUnavailableException.class,
                () -> VoskEngine.loadFrom(dir));
        assertTrue(none.getMessage().contains("no Vosk model in " + dir.toAbsolutePath()), none.getMessage());
        assertTrue(none.getMessage().contains("models/fetch " + VoskEngine.DEFAULT_MODEL), none.getMessage());
    }

    @Test
    void aDirectoryWithoutModelFilesIsUnavailableAndSaysWhatIsMissing() throws IOException {
        Path half = Files.createDirectories(dir.resolve("vosk-model-en-us-0.22/am"));
        Files.writeString(half.resolve("final.mdl"), "");
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> VoskEngine.load(dir.resolve("vosk-model-en-us-0.22")));
        assertTrue(e.getMessage().contains("conf/model.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("models/fetch vosk-model-en-us-0.22"), e.getMessage());
    }

    @Test
    void aModelLibvoskRejectsIsUnavailable() throws IOException {
        Path model = TestVoskModel.generate(dir.resolve("vosk-model-small-en-us-0.15"));
        byte[] graph = Files.readAllBytes(model.resolve("graph/HCLG.fst"));
        graph[0] ^= 0x55; // not an OpenFst file any more
        Files.write(model.resolve("graph/HCLG.fst"), graph);
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class, () -> VoskEngine.load(model));
        assertTrue(e.getMessage().contains("libvosk could not load the model"), e.getMessage());
        assertTrue(e.getMessage().contains("models/fetch vosk-model-small-en-us-0.15"), e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void aNetworkThatDoesNotFitTheFeaturesIsUnavailableWhenAStreamOpens() throws IOException {
        Path model = TestVoskModel.generate(dir.resolve("model"));
        Path mfcc = model.resolve("conf/mfcc.conf");
        Files.writeString(mfcc, Files.readString(mfcc).replace("--num-ceps=23", "--num-ceps=13"));
        try (VoskEngine engine = VoskEngine.load(model)) {
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                    () -> new Transcript().open(engine));
            assertTrue(e.getMessage().contains("could not create a recogniser"), e.getMessage());
        }
    }

    @Test
    void findModelTakesTheDirectoryItselfOrItsFirstModelByName() throws IOException {
        assertEquals(Optional.empty(), VoskEngine.findModel(dir));
        assertEquals(Optional.empty(), VoskEngine.findModel(dir.resolve("nothing-here")));

        Path v2 = TestVoskModel.generate(dir.resolve("vosk-model-b"));
        Path v1 = Files.createDirectories(dir.resolve("vosk-model-a"));
        Files.writeString(v1.resolve("final.mdl"), "");
        Files.writeString(v1.resolve("mfcc.conf"), "");
        Files.createDirectories(dir.resolve("0-not-a-model/am"));
        Files.writeString(dir.resolve("0-not-a-model/am/final.mdl"), "");
        Files.writeString(dir.resolve("README.md"), "");

        assertEquals(Optional.of(v1), VoskEngine.findModel(dir));
        assertEquals(Optional.of(v2), VoskEngine.findModel(v2));
        assertEquals(Optional.of(v1), VoskEngine.findModel(v1));
    }

    @Test
    void theEngineIsNamedVoskAndKnowsItsModel() throws IOException {
        Path model = TestVoskModel.generate(dir.resolve("model"));
        try (VoskEngine engine = VoskEngine.loadFrom(dir)) {
            assertEquals("vosk", engine.name());
            assertEquals(model, engine.modelDir());
        }
    }
}
