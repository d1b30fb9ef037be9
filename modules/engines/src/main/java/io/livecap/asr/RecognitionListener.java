package io.livecap.asr;

/** Receives a stream's results, on the thread that feeds the stream. */
public interface RecognitionListener {

    /** The current guess for the utterance in progress; a later partial or the final replaces it. */
    void onPartial(Hypothesis partial);

    /** The settled words of one utterance. Empty utterances (noise, silence) are not reported. */
    void onFinal(Hypothesis fin);
}
