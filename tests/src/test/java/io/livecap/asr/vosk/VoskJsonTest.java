package io.livecap.asr.vosk;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.livecap.asr.RecognizedWord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libvosk's JSON as it really comes, locale quirks included. */
class VoskJsonTest {

    /** As libvosk prints it when the process's LC_NUMERIC is de_DE (vosk-api issue #808). */
    static final String DECIMAL_COMMA_RESULT = """
            {
              "result" : [{
                  "conf" : 0,955741,
                  "end" : 2,455827,
                  "start" : 2,288740,
                  "word" : "un"
                }, {
                  "conf" : 1,000000,
                  "end" : 12,640000,
                  "start" : 2,490000,
                  "word" : "[unk]"
                }],
              "text" : "un [unk]"
            }""";

    @TempDir
    Path dir;

    @Test
    void decimalCommasFromALocaleReadAsDecimalPoints() {
        assertEquals(List.of(new RecognizedWord("un", 2289, 2456, 0.955741)),
                VoskJson.words(DECIMAL_COMMA_RESULT, "result"));
        assertEquals(List.of("un"), VoskJson.text(DECIMAL_COMMA_RESULT, "text"));
    }

    @Test
    void engineMarkupIsNotAWord() {
        String partial = "{\"partial\" : \"<unk> the [unk] end\"}";
        assertEquals(List.of("the", "end"), VoskJson.text(partial, "partial"));
        assertEquals(List.of(), VoskJson.text("{\"partial\" : \"\"}", "partial"));
        assertEquals(List.of(), VoskJson.words("{\"text\" : \"\"}", "result"));
    }

    /** The C library's setlocale: the JVM leaves the process in the user's locale, which is what libvosk prints in. */
    interface CLibrary extends Library {
        int LC_NUMERIC = 1;

        String setlocale(int category, String locale);
    }

    @Test
    void wordTimesSurviveADecimalCommaLocale() throws IOException {
        CLibrary c = Native.load("c", CLibrary.class);
        String before = c.setlocale(CLibrary.LC_NUMERIC, null);
        String german = c.setlocale(CLibrary.LC_NUMERIC, "de_DE.UTF-8");
        try {
            assumeTrue(german != null, "skipped: locale de_DE.UTF-8 is not installed "
                    + "(apt-get install locales && localedef -i de_DE -f UTF-8 de_DE.UTF-8)");
            try (VoskEngine engine = VoskEngine.load(TestVoskModel.generate(dir))) {
                ToneBursts tones = new ToneBursts().silence(600).beep(600).silence(600).boop(500).silence(300);
                Transcript transcript = Transcript.decode(engine, tones.samples());
                assertEquals(tones.words(), transcript.finalWords().stream().map(RecognizedWord::word).toList());
                for (int i = 0; i < tones.bursts().size(); i++) {
                    GeneratedModelDecodingTest.assertTimed(tones.bursts().get(i), transcript.finalWords().get(i));
                }
                assertTrue(transcript.finalWords().get(0).confidence() > 0.5);
            }
        } finally {
            c.setlocale(CLibrary.LC_NUMERIC, before);
        }
    }
}
