package io.livecap.sandbox;

import io.livecap.reach.OutputFormat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the fake partner is set up. Units follow Kaltura's catalog: {@code minimalRefundTime} and the buffers in
 * seconds, {@code minimalOrderTime} and {@code durationLimit} in minutes.
 *
 * @param port              the API port (0: any free port); websockets listen on {@code port + 1} (or any free port)
 * @param events            how many live events (each with one Live caption task) each region starts with
 * @param startsIn          when the events start, from now (negative: they began that long ago, already live)
 * @param duration          how long each event lasts
 * @param audioFile         the speech sample every event's media plays, looped
 * @param regions           region names; each gets the same ids, as Kaltura's regions do
 * @param firstId           the first task id in every region
 * @param accessKeyLifetime how long a task's access key (and each extension) lasts
 * @param mediaPtsStart     the media's pts at the event start (MPEG-TS wraps at 2^33 / 90 kHz = 26.5 h)
 * @param stereo            what the two channels of the live audio carry
 */
public record SandboxConfig(
        int port,
        int events,
        Duration startsIn,
        Duration duration,
        Path audioFile,
        List<String> regions,
        long vendorPartnerId,
        String vendorName,
        long customerPartnerId,
        long firstId,
        OutputFormat outputFormat,
        String sourceLanguage,
        Duration minimalRefundTime,
        Duration minimalOrderTime,
        Duration durationLimit,
        Duration startTimeBuffer,
        Duration endTimeBuffer,
        Duration accessKeyLifetime,
        Duration mediaPtsStart,
        StereoMode stereo) {

    /** What the two channels of an event's audio carry: the sample on both, or one of the FAQ's faults. */
    public enum StereoMode {
        SAME_ON_BOTH,
        /** the right channel is the inverted left: the mono sum is silence */
        PHASE_INVERTED_RIGHT,
        SILENT_RIGHT
    }

    public SandboxConfig {
        Objects.requireNonNull(audioFile, "audioFile");
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("at least one region");
        }
        if (port < 0 || port > 65534) {
            throw new IllegalArgumentException("port must be 0-65534, got " + port);
        }
        if (events < 0) {
            throw new IllegalArgumentException("events must be >= 0, got " + events);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    /**
     * A machine live-caption catalog item in English delivering SRT, with short buffers (10 s) and refund window
     * (30 s) so a rehearsal fits in minutes; access keys last an hour.
     */
    public static SandboxConfig of(int port, int events, int startsInSeconds, int durationSeconds, Path audioFile) {
        return new SandboxConfig(port, events, Duration.ofSeconds(startsInSeconds), Duration.ofSeconds(durationSeconds),
                audioFile, List.of("us"), 12345, "sandboxvendor", 2_000_001, 1000, OutputFormat.SRT, "English",
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(240), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(1), StereoMode.SAME_ON_BOTH);
    }

    public SandboxConfig withRegions(String... names) {
        return new SandboxConfig(port, events, startsIn, duration, audioFile, List.of(names), vendorPartnerId,
                vendorName, customerPartnerId, firstId, outputFormat, sourceLanguage, minimalRefundTime,
                minimalOrderTime, durationLimit, startTimeBuffer, endTimeBuffer, accessKeyLifetime, mediaPtsStart,
                stereo);
    }

    public SandboxConfig withBuffers(Duration start, Duration end, Duration refund) {
        return new SandboxConfig(port, events, startsIn, duration, audioFile, regions, vendorPartnerId, vendorName,
                customerPartnerId, firstId, outputFormat, sourceLanguage, refund, minimalOrderTime, durationLimit,
                start, end, accessKeyLifetime, mediaPtsStart, stereo);
    }

    public SandboxConfig withMedia(Duration ptsStart, StereoMode mode) {
        return new SandboxConfig(port, events, startsIn, duration, audioFile, regions, vendorPartnerId, vendorName,
                customerPartnerId, firstId, outputFormat, sourceLanguage, minimalRefundTime, minimalOrderTime,
                durationLimit, startTimeBuffer, endTimeBuffer, accessKeyLifetime, ptsStart, mode);
    }
}
