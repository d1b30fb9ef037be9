package io.livecap.alerts;

import java.time.Duration;

/**
 * The {@code alerts} section: when each alert is raised, how often its log line may repeat and where to POST it.
 *
 * @param noMediaSeconds          a live stream with no new audio for this long raises no_media
 * @param minConfidence           the rolling mean word confidence under which low_confidence is raised
 * @param confidenceWindowSeconds the window of finals that mean is taken over
 * @param maxBacklogMs            a backlog above this raises transcript_lagging
 * @param noCaptionSeconds        speech (partials) with no final for this long raises transcript_lagging
 * @param logIntervalSeconds      one alert's WARN line is written at most once per this (per kind and subject)
 * @param webhookUrl              POSTed a JSON body on every raise and clear; "" = no webhook
 * @param webhookTimeoutMs        the webhook's connect and response timeout
 * @param maxTimingDriftMs        captions' start_epoch drifting more than this from their media time (since the
 *                                session's first final) raises timing_mismatch
 */
public record AlertSettings(int noMediaSeconds, double minConfidence, int confidenceWindowSeconds, long maxBacklogMs,
                            int noCaptionSeconds, int logIntervalSeconds, String webhookUrl, int webhookTimeoutMs,
                            long maxTimingDriftMs) {

    /** The defaults, the same as config/livecap.yaml's. */
    public static final AlertSettings DEFAULTS = new AlertSettings(60, 0.9, 60, 2_000, 30, 60, "", 2_000,
            5_000);

    public AlertSettings {
        webhookUrl = webhookUrl == null ? "" : webhookUrl.trim();
        if (noMediaSeconds < 1 || confidenceWindowSeconds < 1 || maxBacklogMs < 1 || noCaptionSeconds < 1
                || logIntervalSeconds < 0 || webhookTimeoutMs < 100 || minConfidence < 0 || minConfidence > 1
                || maxTimingDriftMs < 1) {
            throw new IllegalArgumentException("alerts: seconds, max_backlog_ms and max_timing_drift_ms must be >= 1,"
                    + " min_confidence in"
                    + " 0..1, log_interval_seconds >= 0, webhook_timeout_ms >= 100");
        }
    }

    public Duration noMedia() {
        return Duration.ofSeconds(noMediaSeconds);
    }

    public Duration noCaption() {
        return Duration.ofSeconds(noCaptionSeconds);
    }

    public Duration confidenceWindow() {
        return Duration.ofSeconds(confidenceWindowSeconds);
    }
}
