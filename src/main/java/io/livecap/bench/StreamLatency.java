package io.livecap.bench;

import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.client.CaptionClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Caption latency of one stream, from what a subscriber received and when each sample was sent.
 * <ul>
 * <li>partial latency, per word: from the send time of the word's last sample (its end in the final) to the arrival
 *     of the first caption of its utterance that already holds it at the same position;</li>
 * <li>final latency, per utterance: from the send time of its last word's last sample to the arrival of its last final.</li>
 * </ul>
 */
final class StreamLatency {

    final List<Long> partialMs = new ArrayList<>();
    final List<Long> finalMs = new ArrayList<>();

    /** @param sentEpochAt ms of stream audio -> when the sample there was sent */
    StreamLatency(List<CaptionClient.Received> received, LongUnaryOperator sentEpochAt) {
        Map<Long, List<CaptionWord>> utteranceWords = new LinkedHashMap<>();
        Map<Long, Long> finalArrival = new LinkedHashMap<>();
        for (CaptionClient.Received r : received) {
            if (r.isCaption()) {
                Caption c = r.caption();
                if (c.isFinal()) {
                    utteranceWords.computeIfAbsent(c.utterance(), u -> new ArrayList<>()).addAll(c.words());
                    finalArrival.put(c.utterance(), r.arrivedEpochMs());
                }
            }
        }
        for (Map.Entry<Long, List<CaptionWord>> u : utteranceWords.entrySet()) {
            List<CaptionWord> words = u.getValue();
            CaptionWord last = words.get(words.size() - 1);
            finalMs.add(finalArrival.get(u.getKey()) - sentEpochAt.applyAsLong(last.endMs()));
            for (int i = 0; i < words.size(); i++) {
                long seen = firstSeen(received, u.getKey(), i, words.get(i).word());
                partialMs.add(seen - sentEpochAt.applyAsLong(words.get(i).endMs()));
            }
        }
    }

    private static long firstSeen(List<CaptionClient.Received> received, long utterance, int index, String word) {
        int finalOffset = 0;
        for (CaptionClient.Received r : received) {
            if (!r.isCaption()) {
                continue;
            }
            Caption c = r.caption();
            if (c.utterance() != utterance) {
                continue;
            }
            if (!c.isFinal()) {
                if (c.words().size() > index && c.words().get(index).word().equals(word)) {
                    return r.arrivedEpochMs();
                }
            } else {
                if (index < finalOffset + c.words().size()) {
                    return r.arrivedEpochMs();
                }
                finalOffset += c.words().size();
            }
        }
        throw new IllegalStateException("word " + index + " of utterance " + utterance + " never arrived");
    }
}
