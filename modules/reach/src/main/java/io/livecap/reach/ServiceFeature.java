package io.livecap.reach;

/** Kaltura's {@code VendorServiceFeature}; codes Kaltura adds later read as {@link #UNKNOWN}. */
public enum ServiceFeature {
    UNKNOWN(0),
    CAPTIONS(1),
    TRANSLATION(2),
    ALIGNMENT(3),
    AUDIO_DESCRIPTION(4),
    CHAPTERING(5),
    INTELLIGENT_TAGGING(6),
    DUBBING(7),
    LIVE_CAPTION(8),
    EXTENDED_AUDIO_DESCRIPTION(9),
    CLIPS(10),
    LIVE_TRANSLATION(11),
    QUIZ(12),
    SUMMARY(13),
    VIDEO_ANALYSIS(14),
    MODERATION(15),
    METADATA_ENRICHMENT(16),
    SENTIMENT_ANALYSIS(17),
    DOCUMENT_ENRICHMENT(18),
    SIGN_LANGUAGE(19),
    SPEECH_TO_VIDEO(20),
    IMMERSIVE_AGENT_CALL(21),
    IMMERSIVE_AGENT_CHAT(22),
    AVATAR_VOD(23);

    private final int code;

    ServiceFeature(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isLive() {
        return this == LIVE_CAPTION || this == LIVE_TRANSLATION;
    }

    public static ServiceFeature of(int code) {
        for (ServiceFeature feature : values()) {
            if (feature.code == code) {
                return feature;
            }
        }
        return UNKNOWN;
    }
}
