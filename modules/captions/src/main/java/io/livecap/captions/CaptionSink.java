package io.livecap.captions;

/** Where a stream's captions go, in seq order, on the session's thread. */
public interface CaptionSink {

    void accept(Caption caption);
}
