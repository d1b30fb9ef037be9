package io.livecap.asr.vosk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a minimal Kaldi/Vosk model that the real libvosk loads and decodes with, since no real model can be
 * downloaded where the tests run. Its vocabulary is two words: "beep" is a 440 Hz tone, "boop" a 1000 Hz tone.
 *
 * <p>Three phones with one HMM state each: 1 = silence, 2 = beep, 3 = boop, pdf = phone - 1. The "acoustic model" is
 * one affine layer that reads back, from the 23 MFCCs, the log energy of the mel bin under each tone: with as many
 * cepstra as mel bins Kaldi's orthonormal DCT and its lifter can be inverted exactly. A word's log-likelihood is that
 * log energy minus a threshold; silence scores zero.
 */
final class TestVoskModel {

    static final double BEEP_HZ = 440;
    static final double BOOP_HZ = 1000;
    static final List<String> WORDS = List.of("beep", "boop");

    static final int SILENCE = 1;
    static final int BEEP = 2;
    static final int BOOP = 3;
    static final int PHONES = 3;

    private static final int SAMPLE_RATE = 16_000;
    static final int MEL_BINS = 23;
    private static final double LOW_HZ = 20;
    static final double LIFTER = 22;
    /**
     * Log mel energy a tone's bin must exceed to score above silence. Measured in these features: a 0.3 full-scale
     * tone gives about 27 in its bin, +-8 noise about 9, digital silence the floor (-15.9).
     */
    private static final double THRESHOLD = 18;
    /** Cost of starting a word; keeps a one-frame click from becoming a word. */
    private static final float WORD_COST = 1.0f;

    private TestVoskModel() {
    }

    /** Writes the model (Vosk's "v2" layout) into {@code dir} and returns it. */
    static Path generate(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("am"));
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("graph/phones"));

        List<Arc> graph = graph();
        double[][] weights = new double[PHONES][];
        double[] bias = new double[PHONES];
        weights[SILENCE - 1] = new double[MEL_BINS];
        weights[BEEP - 1] = logMelReadout(melBinOf(BEEP_HZ));
        weights[BOOP - 1] = logMelReadout(melBinOf(BOOP_HZ));
        bias[BEEP - 1] = -THRESHOLD;
        bias[BOOP - 1] = -THRESHOLD;
        check(graph, weights, bias);

        Files.writeString(dir.resolve("am/final.mdl"), transitionModel() + nnet(weights, bias));
        Files.write(dir.resolve("graph/HCLG.fst"), vectorFst(graph, PHONES + 1));
        Files.writeString(dir.resolve("graph/words.txt"), "<eps> 0\nbeep 1\nboop 2\n");
        // Without word boundaries a word's time swallows the silence before it.
        Files.writeString(dir.resolve("graph/phones/word_boundary.int"),
                SILENCE + " nonword\n" + BEEP + " singleton\n" + BOOP + " singleton\n");
        // No pre-emphasis: it would take 15 dB off a 440 Hz tone. No dither: identical features on every run.
        Files.writeString(dir.resolve("conf/mfcc.conf"), """
                --use-energy=false
                --sample-frequency=16000
                --num-mel-bins=23
                --num-ceps=23
                --preemphasis-coefficient=0
                --dither=0
                """);
        // Vosk reports times at 0.03 s per output frame, so the subsampling factor must be 3. A 0.6 s gap stays
        // inside an utterance; 1 s of silence ends it.
        Files.writeString(dir.resolve("conf/model.conf"), """
                --min-active=20
                --max-active=1000
                --beam=13.0
                --lattice-beam=6.0
                --acoustic-scale=1.0
                --frame-subsampling-factor=3
                --endpoint.silence-phones=1
                --endpoint.rule2.min-trailing-silence=1.0
                --endpoint.rule3.min-trailing-silence=1.0
                --endpoint.rule4.min-trailing-silence=1.0
                """);
        return dir;
    }

    /** Entering a phone consumes its forward transition-id, staying in it its self-loop (Kaldi's usual order). */
    static int forwardId(int phone) {
        return 2 * phone;
    }

    static int selfLoopId(int phone) {
        return 2 * phone - 1;
    }

    static int transitionIds() {
        return 2 * PHONES;
    }

    /** One arc of HCLG: consumes a transition-id (one output frame), emits a word id (0 = none). */
    record Arc(int from, int transitionId, int word, float cost, int to) {
    }

    /**
     * State 0 starts; state p (1..3) is "inside phone p". Any state may enter silence or a word; a word is not
     * re-entered without silence between, so one long tone stays one word. Every state is final.
     */
    static List<Arc> graph() {
        List<Arc> arcs = new ArrayList<>();
        for (int from = 0; from <= PHONES; from++) {
            for (int phone = 1; phone <= PHONES; phone++) {
                if (phone == from) {
                    arcs.add(new Arc(from, selfLoopId(phone), 0, 0, phone));
                } else {
                    int word = phone == SILENCE ? 0 : phone - 1;
                    arcs.add(new Arc(from, forwardId(phone), word, word == 0 ? 0 : WORD_COST, phone));
                }
            }
        }
        return arcs;
    }

    private static String transitionModel() {
        StringBuilder mdl = new StringBuilder("<TransitionModel>\n<Topology>\n<TopologyEntry>\n<ForPhones>\n");
        for (int phone = 1; phone <= PHONES; phone++) {
            mdl.append(phone).append(' ');
        }
        mdl.append("\n</ForPhones>\n")
                .append("<State> 0 <PdfClass> 0 <Transition> 0 0.5 <Transition> 1 0.5 </State>\n")
                .append("<State> 1 </State>\n</TopologyEntry>\n</Topology>\n");
        // Kaldi looks tuples up by binary search: they must be sorted (phone, hmm-state, pdf).
        mdl.append("<Triples> ").append(PHONES).append('\n');
        for (int phone = 1; phone <= PHONES; phone++) {
            mdl.append(phone).append(" 0 ").append(phone - 1).append('\n');
        }
        mdl.append("</Triples>\n<LogProbs>\n [ 0");
        for (int id = 1; id <= transitionIds(); id++) {
            mdl.append(' ').append(number(Math.log(0.5)));
        }
        return mdl.append(" ]\n</LogProbs>\n</TransitionModel>\n").toString();
    }

    private static String nnet(double[][] weights, double[] bias) {
        // Kaldi's token reader eats one whitespace character after "<Nnet3>", then expects the newline.
        StringBuilder nnet = new StringBuilder("<Nnet3> \n")
                .append("input-node name=input dim=").append(MEL_BINS).append('\n')
                .append("component-node name=affine component=affine input=input\n")
                .append("output-node name=output input=affine objective=linear\n\n")
                .append("<NumComponents> 1\n<ComponentName> affine <FixedAffineComponent> <LinearParams> [\n");
        for (double[] row : weights) {
            nnet.append(' ');
            for (double w : row) {
                nnet.append(' ').append(number(w));
            }
            nnet.append('\n');
        }
        nnet.append(" ]\n<BiasParams> [");
        for (double b : bias) {
            nnet.append(' ').append(number(b));
        }
        // Empty priors: the network's output is used as log-likelihoods as it is.
        return nnet.append(" ]\n</FixedAffineComponent>\n</Nnet3>\n<LeftContext> 0 <RightContext> 0 <Priors> [ ]\n")
                .toString();
    }

    /** Kaldi's text reader takes numbers that start with a digit or '-': no exponents, no locale. */
    private static String number(double value) {
        return String.format(Locale.ROOT, "%.7f", value);
    }

    /**
     * The row that maps Kaldi's liftered cepstra back to the log energy of mel bin {@code bin}: the DCT is orthonormal
     * (row 0 = sqrt(1/N), row k = sqrt(2/N) cos(pi k (n + 0.5) / N)), so its inverse is its transpose.
     */
    static double[] logMelReadout(int bin) {
        double[] row = new double[MEL_BINS];
        for (int k = 0; k < MEL_BINS; k++) {
            double dct = k == 0 ? Math.sqrt(1.0 / MEL_BINS)
                    : Math.sqrt(2.0 / MEL_BINS) * Math.cos(Math.PI * k * (bin + 0.5) / MEL_BINS);
            double lifter = 1 + 0.5 * LIFTER * Math.sin(Math.PI * k / LIFTER);
            row[k] = dct / lifter;
        }
        return row;
    }

    /** The mel bin whose triangle peaks nearest {@code hz}, with Kaldi's bins: 20 Hz to Nyquist, mel = 1127 ln(1 + f/700). */
    static int melBinOf(double hz) {
        double low = mel(LOW_HZ);
        double delta = (mel(SAMPLE_RATE / 2.0) - low) / (MEL_BINS + 1);
        int bin = (int) Math.round((mel(hz) - low) / delta) - 1;
        if (bin < 0 || bin >= MEL_BINS) {
            throw new IllegalArgumentException(hz + " Hz is outside the mel bins");
        }
        return bin;
    }

    private static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }

    /**
     * libvosk does not check what it is given: a transition-id beyond the model's crashes the JVM in the decodable,
     * and a network with fewer outputs than pdfs decodes garbage. So the generator checks its own output.
     */
    static void check(List<Arc> graph, double[][] weights, double[] bias) {
        int states = 0;
        for (Arc arc : graph) {
            states = Math.max(states, Math.max(arc.from(), arc.to()) + 1);
        }
        for (Arc arc : graph) {
            if (arc.transitionId() < 1 || arc.transitionId() > transitionIds()) {
                throw new IllegalStateException("transition-id " + arc.transitionId() + " outside 1.."
                        + transitionIds() + " in " + arc);
            }
            if (arc.word() < 0 || arc.word() > WORDS.size()) {
                throw new IllegalStateException("word id " + arc.word() + " not in words.txt: " + arc);
            }
            if (arc.cost() < 0 || Float.isNaN(arc.cost())) {
                throw new IllegalStateException("bad cost in " + arc);
            }
            int phone = (arc.transitionId() + 1) / 2;
            if (arc.to() != phone) {
                throw new IllegalStateException("arc does not lead into its phone's state: " + arc);
            }
        }
        if (weights.length != PHONES || bias.length != PHONES) {
            throw new IllegalStateException("network has " + weights.length + " outputs for " + PHONES + " pdfs");
        }
        for (double[] row : weights) {
            if (row.length != MEL_BINS) {
                throw new IllegalStateException("network input is " + row.length + ", features are " + MEL_BINS);
            }
        }
        if (states != PHONES + 1) {
            throw new IllegalStateException("graph has " + states + " states");
        }
    }

    /** OpenFst's binary VectorFst (StdArc, little-endian), every state final with weight 0. */
    private static byte[] vectorFst(List<Arc> arcs, int states) {
        int header = 4 + (4 + 6) + (4 + 8) + 4 + 4 + 8 + 8 + 8 + 8;
        ByteBuffer out = ByteBuffer.allocate(header + states * (4 + 8) + arcs.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(2125659606);
        putString(out, "vector");
        putString(out, "standard");
        out.putInt(2);      // VectorFst file version
        out.putInt(0);      // flags: no symbol tables inside
        out.putLong(3);     // properties: expanded | mutable, nothing else claimed
        out.putLong(0);     // start state
        out.putLong(states);
        out.putLong(arcs.size());
        for (int state = 0; state < states; state++) {
            out.putFloat(0f);
            int from = state;
            List<Arc> leaving = arcs.stream().filter(a -> a.from() == from).toList();
            out.putLong(leaving.size());
            for (Arc arc : leaving) {
                out.putInt(arc.transitionId());
                out.putInt(arc.word());
                out.putFloat(arc.cost());
                out.putInt(arc.to());
            }
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("HCLG: " + out.remaining() + " bytes unwritten");
        }
        return out.array();
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        out.putInt(bytes.length);
        out.put(bytes);
    }
}
