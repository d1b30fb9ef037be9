package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.timing.StreamTimeline;
import io.livecap.timing.TimelinePoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    @ParameterizedTest
    @EnumSource(Backend.class)
    void finalsSurviveARestartOfTheDatabase(Backend backend, @TempDir Path dir) {
        String url = backend.freshUrl(dir);
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

    @ParameterizedTest
    @EnumSource(Backend.class)
    void storingTheSameFinalTwiceIsHarmlessButADifferentOneIsRefused(Backend backend, @TempDir Path dir) {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            store.append(fin("ev42", 1, "the"));
            store.append(fin("ev42", 1, "the"));
            assertEquals(1, store.finalsAfter("ev42", 0).size());
            assertThrows(StoreException.class, () -> store.append(fin("ev42", 1, "a")));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStreamsTimelineSurvivesARestartOfTheDatabase(Backend backend, @TempDir Path dir) {
        String url = backend.freshUrl(dir);
        TimelinePoint left = new TimelinePoint(61_250, 1_700_000_061_250L, (1L << 33) - 10, 90_000, 33);
        StreamTimeline saved = new StreamTimeline(2, 14, 60_900, left, 0);
        try (Database db = Database.open(url)) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            assertEquals(StreamTimeline.FIRST, store.timeline("ev42"), "an id never seen starts at the beginning");
            store.saveTimeline("ev42", StreamTimeline.FIRST);
            store.saveTimeline("ev42", saved); // the second write updates the first
            store.saveTimeline("other", StreamTimeline.FIRST.endedAt(1_700_000_000_000L));
        }
        try (Database db = Database.open(url)) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            assertEquals(saved, store.timeline("ev42"));
            assertEquals(1_700_000_000_000L, store.timeline("other").endedAtEpochMs());
            assertEquals(null, store.timeline("other").end());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFinalStoredAfterTheLastTimelineUpdateStillCounts(Backend backend, @TempDir Path dir) {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            store.saveTimeline("ev42", new StreamTimeline(1, 3, 2_500,
                    new TimelinePoint(2_600, 1_700_000_002_600L, 234_000, 90_000, 33), 0));
            store.append(fin("ev42", 3, "the")); // utterance 3, 3000-3500 ms; then livecap was killed
            StreamTimeline resumed = store.timeline("ev42");
            assertEquals(4, resumed.nextUtterance());
            assertEquals(3_500, resumed.lastFinalEndMs());
            assertEquals(3_500, resumed.end().endMs(), "the next source starts after that final");
            // finals of another session of the id do not count for this one
            store.saveTimeline("ev42", resumed.endedAt(1).next());
            assertEquals(1, store.timeline("ev42").nextUtterance());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyFinalCarriesItsSessionAndOldOnesBelongToTheFirst(Backend backend, @TempDir Path dir) throws Exception {
        Caption second = new Caption("ev42", 40, true, 1, "again", List.of("again"), 290, 800, 1, 2, List.of(),
                "en-US", 2);
        try (Database db = Database.open(backend.freshUrl(dir))) {
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            store.append(second);
            assertEquals(List.of(second), store.finalsAfter("ev42", 0));
        }
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(second);
        assertEquals(true, json.startsWith("{\"type\":\"caption\",\"stream_id\":\"ev42\",\"session\":2,"), json);
        Caption old = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                json.replace("\"session\":2,", ""), Caption.class);
        assertEquals(1, old.session(), "stored before sessions existed");
    }
}
