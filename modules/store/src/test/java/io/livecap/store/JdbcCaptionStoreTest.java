package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JdbcCaptionStoreTest {

    private static Caption fin(String stream, long seq, String text) {
        return new Caption(stream, seq, true, seq, text, List.of(text), seq * 1000, seq * 1000 + 500,
                1_700_000_000_000L + seq, 90_000 * seq, List.of(new CaptionWord(text, seq * 1000, seq * 1000 + 500,
                0.9)), "en-US");
    }

    @Test
    void finalsSurviveARestartOfTheDatabase(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("livecap");
        try (Database db = Database.open(url)) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            store.append(fin("ev42", 3, "the"));
            store.append(fin("ev42", 5, "committee"));
            store.append(fin("other", 1, "hello"));
        }
        try (Database db = Database.open(url)) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            assertEquals(5, store.lastSeq("ev42"));
            assertEquals(List.of(fin("ev42", 5, "committee")), store.finalsAfter("ev42", 3));
            assertEquals(2, store.finalsAfter("ev42", 0).size());
            assertEquals(0, store.lastSeq("nobody"));
            store.issued("ev42", 9); // a partial after the last final
            assertEquals(9, store.lastSeq("ev42"), "a resumed stream numbers past its partials too");
        }
    }

    @Test
    void storingTheSameFinalTwiceIsHarmlessButADifferentOneIsRefused(@TempDir Path dir) {
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("livecap"))) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            store.append(fin("ev42", 1, "the"));
            store.append(fin("ev42", 1, "the"));
            assertEquals(1, store.finalsAfter("ev42", 0).size());
            assertThrows(StoreException.class, () -> store.append(fin("ev42", 1, "a")));
        }
    }
}
