package io.livecap.asr.remote;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemotePartialsTest {

    private static List<String> words(String text) {
        return List.of(text.split(" "));
    }

    @Test
    void aWordKeepsTheAudioItFirstAppearedInWhileTheWorkerKeepsIt() {
        RemotePartials partials = new RemotePartials();
        Hypothesis first = partials.place(words("the"), 1000, 1400);
        Hypothesis second = partials.place(words("the company"), 1000, 1500);
        Hypothesis third = partials.place(words("the company reported"), 1000, 1800);

        assertEquals(new RecognizedWord("the", 1000, 1400, 0), first.words().get(0));
        assertEquals(List.of(new RecognizedWord("the", 1000, 1400, 0), new RecognizedWord("company", 1400, 1500, 0),
                new RecognizedWord("reported", 1500, 1800, 0)), third.words());
        assertEquals(1800, third.endMs());
        assertEquals(1000, third.startMs());
        // what the captions' stabiliser needs to commit a word: it ended before the audio heard
        assertTrue(second.endMs() - second.words().get(0).endMs() >= 100);
    }

    @Test
    void aRevisedWordKeepsItsPlacesTimeSoTheStabiliserCannotShowItTwice() {
        RemotePartials partials = new RemotePartials();
        partials.place(words("the"), 1000, 1200);
        partials.place(words("the company"), 1000, 1400);
        partials.place(words("the company report"), 1000, 1500);
        Hypothesis revised = partials.place(words("the company reported strong"), 1000, 1700);

        assertEquals(List.of(new RecognizedWord("the", 1000, 1200, 0), new RecognizedWord("company", 1200, 1400, 0),
                new RecognizedWord("reported", 1400, 1500, 0), new RecognizedWord("strong", 1500, 1700, 0)),
                revised.words());
        Hypothesis earlier = partials.place(words("a company reported strong"), 1000, 1800);
        assertEquals(new RecognizedWord("a", 1000, 1200, 0), earlier.words().get(0),
                "a word revised long after it was heard stays where it was heard");
    }

    @Test
    void theNextUtteranceStartsAfresh() {
        RemotePartials partials = new RemotePartials();
        partials.place(words("heavy rain"), 1000, 1600);
        partials.utteranceEnded();
        Hypothesis next = partials.place(words("heavy"), 2500, 2900);

        assertEquals(List.of(new RecognizedWord("heavy", 2500, 2900, 0)), next.words());
    }

    @Test
    void afterASwitchTheReplayedPartialsAreHeldUntilTheyReachPastWhatWasShown() {
        RemotePartials partials = new RemotePartials();
        partials.place(words("today we"), 20_000, 24_000);
        Hypothesis shown = partials.place(words("today we will talk"), 20_000, 25_000);
        assertNotNull(shown);
        partials.switched(25_000);

        // the new worker re-hears 20-25 s: what it says of it was shown already
        assertNull(partials.place(words("today"), 20_000, 21_000));
        assertNull(partials.place(words("today we will"), 20_000, 24_000));
        assertNull(partials.place(words("today we will talk"), 20_000, 25_000));
        Hypothesis past = partials.place(words("today we will talk about"), 20_000, 25_100);

        assertNotNull(past, "the first partial past the dead worker's last answer goes out at once");
        // the words the replay confirmed keep the times they were shown with, so the stabiliser sees the same words
        assertEquals(shown.words().get(0), past.words().get(0));
        assertEquals(new RecognizedWord("about", 25_000, 25_100, 0), past.words().get(4));
        assertNull(partials.place(List.of(), 20_000, 25_200), "no words, nothing to show");
    }

    @Test
    void afterAFinalDuringTheReplayTheHoldStillEndsAtWhatWasShown() {
        RemotePartials partials = new RemotePartials();
        partials.place(words("rain is expected"), 30_000, 33_000);
        partials.switched(33_000);
        partials.utteranceEnded(); // the new worker ended an utterance inside the replayed audio

        assertNull(partials.place(words("expected"), 31_500, 32_500));
        Hypothesis past = partials.place(words("expected across"), 31_500, 33_200);
        assertEquals(List.of(new RecognizedWord("expected", 31_500, 32_500, 0),
                new RecognizedWord("across", 32_500, 33_200, 0)), past.words());
    }
}
