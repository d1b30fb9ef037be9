package io.livecap.alerts;

/** What an alert is about; its wire name is the {@code kind} label of the alert metrics and the webhook's field. */
public enum AlertKind {
    /** No audio has arrived for {@code alerts.no_media_seconds} on a live stream. */
    NO_MEDIA("no_media"),
    /** The source left a gap in its media (a pull reconnect, a missing segment). */
    MEDIA_GAP("media_gap"),
    /** The source's pts jumped (backwards or forwards past its tolerance). */
    PTS_DISCONTINUITY("pts_discontinuity"),
    /**
     * Captions' {@code start_epoch} (when their audio arrived) drifted more than {@code alerts.max_timing_drift_ms}
     * from their {@code start} (the media clock) since the session's first final.
     */
    TIMING_MISMATCH("timing_mismatch"),
    /** The rolling mean word confidence fell below {@code alerts.min_confidence}. */
    LOW_CONFIDENCE("low_confidence"),
    /** The backlog passed {@code alerts.max_backlog_ms} or speech went uncaptioned for {@code alerts.no_caption_seconds}. */
    TRANSCRIPT_LAGGING("transcript_lagging"),
    /** A pull went to retrying: its decoder or connection is being restarted. */
    PULL_RESTARTED("pull_restarted"),
    /** The audio health left OK (silent channel, phase inverted, clipping...). */
    AUDIO_HEALTH("audio_health"),
    /** A REACH task passed half its turn-around time unfinished. */
    REACH_HALF_TAT("reach_half_tat"),
    /** A REACH task passed its expected finish unfinished, or its media pull gave up. */
    REACH_STUCK("reach_stuck"),
    /** A delivery (a caption asset) failed. */
    DELIVERY_FAILING("delivery_failing");

    private final String wireName;

    AlertKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
