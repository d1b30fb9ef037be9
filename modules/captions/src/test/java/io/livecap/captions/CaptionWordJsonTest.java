package io.livecap.captions;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionWordJsonTest {

    @Test
    void everyWordSaysWhetherItIsStable() throws Exception {
        String json = Json.write(new CaptionWord("budget", 100, 600, 0.9, false));
        assertEquals("{\"word\":\"budget\",\"start\":100,\"end\":600,\"conf\":0.9,\"stable\":false}", json);
        assertFalse(Json.MAPPER.readValue(json, CaptionWord.class).stable());
    }

    @Test
    void wordsStoredBeforeStabilityReadAsStableAsFinalWordsAre() throws Exception {
        CaptionWord stored = Json.MAPPER.readValue("{\"word\":\"budget\",\"start\":100,\"end\":600,\"conf\":0.9}",
                CaptionWord.class);
        assertTrue(stored.stable());
        assertEquals(new CaptionWord("budget", 100, 600, 0.9), stored);
    }
}
