package io.livecap.asr.pocketsphinx;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ps_decoder_t}: its own copy of the acoustic model, dictionary and language model (5prealpha has no
 * way to share them between decoders, see {@link PocketsphinxEngine}), used by one thread at a time. Every call
 * that can fail is checked; a failure throws {@link PocketsphinxException} and marks the decoder as not reusable.
 */
final class Decoder {

    private static final Logger log = LoggerFactory.getLogger(Decoder.class);

    // Offsets into sphinxbase 5prealpha's struct feat_s and cmn_t (LP64), for resetting the live CMN estimate.
    private static final long FEAT_CEPSIZE = 16;
    private static final long FEAT_CMN_STRUCT = 88;
    private static final long CMN_MEAN = 0;
    private static final long CMN_SUM = 16;
    private static final long CMN_NFRAME = 24;
    private static final long CMN_VECLEN = 28;

    private final PocketsphinxLibrary lib;
    private final Pointer logmath;
    private final Pointer cmn;
    private final float[] initialCmnMean;
    private final boolean cmnResettable;
    private Pointer ps;
    private boolean broken;

    private Decoder(PocketsphinxLibrary lib, Pointer ps) {
        this.lib = lib;
        this.ps = ps;
        this.logmath = lib.ps_get_logmath(ps);
        Pointer feat = lib.ps_get_feat(ps);
        Pointer cmnStruct = feat.getPointer(FEAT_CMN_STRUCT);
        this.cmnResettable = cmnStruct == null || layoutChecksOut(feat, cmnStruct);
        this.cmn = cmnResettable ? cmnStruct : null;
        this.initialCmnMean = cmn == null ? null : cmn.getPointer(CMN_MEAN).getFloatArray(0, cmn.getInt(CMN_VECLEN));
    }

    /** Loads a decoder from decoder arguments ({@code "-hmm", dir, "-lm", file, ...}). Takes about 0.8 s. */
    static Decoder create(PocketsphinxLibrary lib, List<String> arguments) {
        Object[] varargs = arguments.toArray(new Object[arguments.size() + 1]); // last slot: the ending NULL
        SphinxLog.clearLastError();
        Pointer config = lib.cmd_ln_init(null, lib.ps_args(), 1, varargs);
        if (config == null) {
            throw new PocketsphinxException("cmd_ln_init " + arguments, SphinxLog.takeLastError());
        }
        try {
            Pointer ps = lib.ps_init(config);
            if (ps == null) {
                throw new PocketsphinxException("ps_init", SphinxLog.takeLastError());
            }
            return new Decoder(lib, ps);
        } finally {
            lib.cmd_ln_free_r(config); // the decoder holds its own reference
        }
    }

    /**
     * Starts a new stream. {@code ps_start_stream} resets the noise estimate and the frame count, but not the
     * live cepstral-mean estimate, which would carry the previous stream's channel into this one (measured: a
     * decoder that had heard jfk.flac gave the lecture's first words posteriors of 0.004-0.09 instead of 0.6-0.7).
     * So that is put back exactly as {@code ps_init} left it.
     */
    void startStream() {
        if (cmn != null) {
            cmn.getPointer(CMN_MEAN).write(0, initialCmnMean, 0, initialCmnMean.length);
            cmn.getPointer(CMN_SUM).write(0, new float[initialCmnMean.length], 0, initialCmnMean.length);
            cmn.setInt(CMN_NFRAME, 0);
        }
        lib.ps_start_stream(ps);
        startUtterance();
    }

    void startUtterance() {
        check(lib.ps_start_utt(ps), "ps_start_utt");
    }

    /** Feeds {@code count} samples from native memory; the front end drops the frames its VAD calls silence. */
    void process(Pointer samples, int count) {
        check(lib.ps_process_raw(ps, samples, count, 0, 0), "ps_process_raw");
    }

    boolean inSpeech() {
        return lib.ps_get_in_speech(ps) != 0;
    }

    /** Ends the utterance: runs the second pass; {@link #segments} then gives the final lattice's best path. */
    void endUtterance() {
        check(lib.ps_end_utt(ps), "ps_end_utt");
    }

    List<Segment> segments() {
        List<Segment> segments = new ArrayList<>();
        IntByReference start = new IntByReference();
        IntByReference end = new IntByReference();
        Pointer seg = lib.ps_seg_iter(ps);
        try {
            while (seg != null) {
                lib.ps_seg_frames(seg, start, end);
                int logPosterior = lib.ps_seg_prob(seg, null, null, null);
                segments.add(new Segment(lib.ps_seg_word(seg), start.getValue(), end.getValue(),
                        lib.logmath_exp(logmath, logPosterior)));
                seg = lib.ps_seg_next(seg);
            }
        } finally {
            if (seg != null) {
                lib.ps_seg_free(seg);
            }
        }
        return segments;
    }

    /** Whether this decoder can serve another stream: no call failed and its CMN estimate can be reset. */
    boolean reusable() {
        return !broken && ps != null && cmnResettable;
    }

    void free() {
        if (ps != null) {
            lib.ps_free(ps);
            ps = null;
        }
    }

    private void check(int result, String call) {
        if (result < 0) {
            broken = true;
            throw new PocketsphinxException(call + " (returned " + result + ")", SphinxLog.takeLastError());
        }
    }

    /** Guards the offsets above: a cmn_t's vector is as long as the features it normalises. */
    private static boolean layoutChecksOut(Pointer feat, Pointer cmn) {
        int cepsize = feat.getInt(FEAT_CEPSIZE);
        int veclen = cmn.getInt(CMN_VECLEN);
        if (veclen == cepsize && veclen >= 1 && veclen <= 64) {
            return true;
        }
        log.warn("pocketsphinx's feature struct is not laid out as in 5prealpha (cepsize {}, CMN length {}); "
                + "decoders will not be reused between streams", cepsize, veclen);
        return false;
    }
}
