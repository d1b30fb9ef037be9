package io.livecap.asr.pocketsphinx;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The C functions livecap calls in Debian's pocketsphinx 5prealpha ({@code libpocketsphinx.so.3}) and its
 * sphinxbase ({@code libsphinxbase.so.3}). The soname is pinned on purpose: pocketsphinx 5.x ({@code .so.5})
 * changed most of these signatures.
 *
 * <p>sphinxbase's functions ({@code cmd_ln_*}, {@code logmath_*}, {@code err_*}) are looked up through
 * libpocketsphinx's handle; dlsym searches the library's own dependencies, so one binding serves both.
 */
interface PocketsphinxLibrary extends Library {

    String SONAME = "libpocketsphinx.so.3";

    static PocketsphinxLibrary load() {
        return Native.load(SONAME, PocketsphinxLibrary.class);
    }

    /** The decoder's argument definitions, for {@link #cmd_ln_init}. Static data; never freed. */
    Pointer ps_args();

    /**
     * Builds a configuration from name/value pairs ending with {@code null}. Used instead of
     * {@code cmd_ln_parse_r} because that one keeps pointers to the caller's argv strings, which JNA frees after
     * the call; this one copies them.
     */
    Pointer cmd_ln_init(Pointer inoutConfig, Pointer definitions, int strict, Object... nameValuePairsThenNull);

    int cmd_ln_free_r(Pointer config);

    /** Loads acoustic model, dictionary and language model; {@code null} on failure (the reason is logged). */
    Pointer ps_init(Pointer config);

    int ps_free(Pointer decoder);

    /** Resets the stream's noise estimate and its frame counter: segment frames count from here. */
    int ps_start_stream(Pointer decoder);

    int ps_start_utt(Pointer decoder);

    /** Returns the number of frames searched, negative on error. {@code nSamples} is a {@code size_t} (LP64). */
    int ps_process_raw(Pointer decoder, Pointer samples, long nSamples, int noSearch, int fullUtterance);

    /** 1 while the front end's voice activity detector hears speech (after its start and hangover frames). */
    byte ps_get_in_speech(Pointer decoder);

    int ps_end_utt(Pointer decoder);

    /** The best path so far (or the final one after {@link #ps_end_utt}); {@code null} when there is none. */
    Pointer ps_seg_iter(Pointer decoder);

    /** The next segment, or {@code null} after the last one, in which case the iterator has been freed. */
    Pointer ps_seg_next(Pointer segment);

    String ps_seg_word(Pointer segment);

    /** Start and end frame (inclusive), counted from {@link #ps_start_stream}. */
    void ps_seg_frames(Pointer segment, IntByReference startFrame, IntByReference endFrame);

    /** The segment's log posterior (base of the decoder's logmath); 0 on a partial, where none is computed. */
    int ps_seg_prob(Pointer segment, IntByReference acousticScore, IntByReference lmScore, IntByReference lmBackoff);

    void ps_seg_free(Pointer segment);

    Pointer ps_get_logmath(Pointer decoder);

    Pointer ps_get_feat(Pointer decoder);

    double logmath_exp(Pointer logmath, int logValue);

    /** {@code null} disables sphinxbase's own writes to stderr, including its dump of every option. */
    void err_set_logfp(Pointer file);

    void err_set_callback(ErrorCallback callback, Pointer userData);

    /**
     * sphinxbase's {@code err_cb_f}: {@code void (*)(void *user, err_lvl_t level, const char *fmt, ...)}.
     * Declared with five fixed word-sized arguments after {@code fmt}: on x86-64 and aarch64 Linux the variadic
     * arguments arrive exactly where fixed ones would, and sphinxbase only ever passes strings and longs (at most
     * five). Only the arguments {@code fmt} names are read.
     */
    interface ErrorCallback extends Callback {
        void invoke(Pointer userData, int level, String format, long a1, long a2, long a3, long a4, long a5);
    }
}
