package io.livecap.audio;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one 0.5 s window measured: the numbers behind every health decision.
 *
 * @param right         null for a mono source
 * @param correlation   Pearson r of the two channels (DC removed), null when mono or a channel is digital silence
 * @param sumVsLouderDb level of the mono sum (L+R)/2 minus the level of the louder channel: about 0 dB for dual mono,
 *                      -3 dB for unrelated channels, far below when they cancel; null when mono or both are silent
 */
public record WindowLevels(@JsonProperty("left") ChannelLevel left,
                           @JsonProperty("right") ChannelLevel right,
                           @JsonProperty("correlation") Double correlation,
                           @JsonProperty("sum_vs_louder_db") Double sumVsLouderDb) {

    double louderDbfs() {
        return right == null ? left.rmsDbfs() : Math.max(left.rmsDbfs(), right.rmsDbfs());
    }
}
