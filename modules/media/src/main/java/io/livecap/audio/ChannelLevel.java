package io.livecap.audio;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One channel over one 0.5 s window. Levels are dB relative to full scale (32768), RMS taken after removing the
 * window's DC so an offset never passes for signal; -120 stands for digital silence.
 *
 * @param dcPercent the window's mean as a signed percentage of full scale
 */
public record ChannelLevel(@JsonProperty("rms_dbfs") double rmsDbfs,
                           @JsonProperty("peak_dbfs") double peakDbfs,
                           @JsonProperty("dc_percent") double dcPercent) {
}
