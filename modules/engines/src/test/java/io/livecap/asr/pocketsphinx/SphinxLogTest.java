package io.livecap.asr.pocketsphinx;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SphinxLogTest {

    @Test
    void messagesAreFormattedAsSphinxbasesErrCallbackPassesThem() {
        try (Memory level = cString("ERROR"); Memory file = cString("acmod.c"); Memory text = cString("bad\n")) {
            // err.c: err_cb(user, lvl, "%s: \"%s\", line %ld: %s", prefix, file, line, msg)
            assertEquals("ERROR: \"acmod.c\", line 1234567890123: bad", SphinxLog.format(
                    "%s: \"%s\", line %ld: %s", address(level), address(file), 1234567890123L, address(text)));
        }
    }

    @Test
    void anIntArgumentIgnoresTheUndefinedUpperHalfOfItsRegister() {
        assertEquals("42 frames, 100%", SphinxLog.format("%d frames, 100%%", 0xdead_beef_0000_002aL));
    }

    private static Memory cString(String s) {
        Memory m = new Memory(s.length() + 1L);
        m.setString(0, s);
        return m;
    }

    private static long address(Memory m) {
        return Pointer.nativeValue(m);
    }
}
