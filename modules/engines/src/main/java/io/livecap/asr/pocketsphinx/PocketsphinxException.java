package io.livecap.asr.pocketsphinx;

/** A pocketsphinx call failed. The message names the call and, when it logged one, the library's own error. */
public class PocketsphinxException extends RuntimeException {

    PocketsphinxException(String call, String detail) {
        super(call + " failed" + (detail == null ? "" : ": " + detail));
    }
}
