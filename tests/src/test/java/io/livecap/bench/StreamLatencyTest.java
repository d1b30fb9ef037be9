package io.livecap.bench;

import io.livecap.captions.CaptionWord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Latency attribution on a hand-made stream: 16 kHz, 100 ms chunks sent at 10_000 + 100 k ms (chunk k holds
 * audio k*100 .. k*100+99 ms), so "sent" times are easy to read off.
 */
class StreamLatencyTest {

    private static final long T0 = 10_000;

    private static SendLog sendLog() {
        SendLog log = new SendLog(16_000);
        for (int k = 0; k < 50; k++) {
            log.sent(k * 1600L, 1600, T0 + 100L * k);
        }
        return log;
    }

    private static CaptionWord w(String word, long startMs, long endMs) {
        return new CaptionWord(word, startMs, endMs, 0.9);
    }

    @Test
    void aSampleCountsAsSentWithItsChunkAndIsStampedAtItsOffsetInIt() {
        SendLog log = sendLog();
        assertEquals(T0 + 1200, log.sentEpochMs(1250), "audio at 1250 ms travelled in chunk 12");
        assertEquals(T0 + 1250, log.sampleEpochMs(1250), "start_epoch adds the offset inside the chunk");
    }

    @Test
    void aWordCountsFromItsLastSampleToTheFirstPartialThatHoldsItAtItsPlace() {
        List<Heard> heard = List.of(
                new Heard(T0 + 700, 1, false, List.of(w("the", 300, 450))),
                // "committee" is first heard wrong, then right
                new Heard(T0 + 1000, 1, false, List.of(w("the", 300, 450), w("comedy", 460, 900))),
                new Heard(T0 + 1300, 1, false, List.of(w("the", 300, 450), w("committee", 460, 1010))),
                new Heard(T0 + 2100, 1, true, List.of(w("the", 300, 450), w("committee", 460, 1010))));
        StreamLatency latency = new StreamLatency(heard, sendLog());
        // "the" ends at 450 ms, sent with chunk 4 at T0+400; first shown at T0+700
        assertEquals(new StreamLatency.Latency(450, 300), latency.partial().get(0));
        // "committee" ends at 1010 ms, sent with chunk 10 at T0+1000; the wrong "comedy" does not count
        assertEquals(new StreamLatency.Latency(1010, 300, true), latency.partial().get(1));
        // the utterance's last sample (1010 ms) left at T0+1000, its final came at T0+2100
        assertEquals(List.of(new StreamLatency.Latency(1010, 1100)), latency.finals());
    }

    @Test
    void anUtteranceSplitIntoSeveralFinalsCountsToItsLastAndWordsNoPartialShowedCountToTheirFinal() {
        List<Heard> heard = List.of(
                new Heard(T0 + 600, 7, false, List.of(w("one", 100, 400))),
                new Heard(T0 + 1500, 7, true, List.of(w("one", 100, 400), w("two", 500, 800))),
                new Heard(T0 + 1510, 7, true, List.of(w("three", 900, 1230))),
                new Heard(T0 + 2000, 8, true, List.of(w("four", 1500, 1800))));
        StreamLatency latency = new StreamLatency(heard, sendLog());
        assertEquals(List.of(200L, 700L, 310L, 200L),
                latency.partial().stream().map(StreamLatency.Latency::ms).toList());
        assertEquals(List.of(new StreamLatency.Latency(1230, 310), new StreamLatency.Latency(1800, 200)),
                latency.finals());
    }

    @Test
    void aWordCountsAsShownWhateverCaseAndPunctuationItsFinalAdds() {
        List<Heard> heard = List.of(
                new Heard(T0 + 700, 3, false, List.of(w("the", 300, 450))),
                new Heard(T0 + 1100, 3, false, List.of(w("The", 300, 450), w("end", 460, 900))),
                new Heard(T0 + 1500, 3, true, List.of(w("The", 300, 450), w("end.", 460, 900))),
                new Heard(T0 + 2500, 4, false, List.of(w("end", 1500, 1800))),
                new Heard(T0 + 2600, 4, true, List.of(w("And", 1500, 1800))));
        StreamLatency latency = new StreamLatency(heard, sendLog());
        // "The" is the first partial's "the"; "end." is the second's "end" with the restorer's full stop: shown at
        // T0+1100 (sent at T0+900), not with the final; "And" is another word than "end", so it counts to its final
        assertEquals(List.of(300L, 200L, 800L),
                latency.partial().stream().map(StreamLatency.Latency::ms).toList());
        assertTrue(StreamLatency.sameWord("don't", "Don't,"));
    }
}
