package io.livecap.server;

import io.livecap.audio.ChannelLevel;
import io.livecap.audio.HealthSnapshot;
import io.livecap.audio.WindowLevels;
import io.livecap.session.SessionState;
import io.livecap.session.StreamSession;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-stream series Prometheus scrapes, sampled on the console's tick (five times a second) on the node's
 * registry: the backlog as a histogram, the audio level of each channel, and the sessions by state (every state
 * listed, 0 included, so a dashboard's query never finds nothing).
 */
final class StreamMeters {

    private final DistributionSummary backlog;
    private final MultiGauge levels;
    private final MultiGauge states;

    StreamMeters(MeterRegistry metrics) {
        backlog = DistributionSummary.builder("livecap.backlog").baseUnit("seconds")
                .description("audio waiting for the recogniser, sampled every 200 ms per live stream")
                .publishPercentileHistogram().minimumExpectedValue(0.05).maximumExpectedValue(30.0)
                .register(metrics);
        levels = MultiGauge.builder("livecap.audio.level").baseUnit("dbfs")
                .description("the last judged window's RMS level per stream and channel").register(metrics);
        states = MultiGauge.builder("livecap.sessions").description("live sessions by state").register(metrics);
        observe(List.of());
    }

    void observe(List<StreamSession> live) {
        Map<SessionState, Integer> byState = new EnumMap<>(SessionState.class);
        for (SessionState s : SessionState.values()) {
            byState.put(s, 0);
        }
        List<MultiGauge.Row<?>> levelRows = new ArrayList<>();
        for (StreamSession s : live) {
            byState.merge(s.state(), 1, Integer::sum);
            backlog.record(s.backlogMs() / 1000.0);
            HealthSnapshot health = s.health();
            WindowLevels window = health == null ? null : health.levels();
            if (window != null) {
                add(levelRows, s.streamId(), "left", window.left());
                add(levelRows, s.streamId(), "right", window.right());
            }
        }
        levels.register(levelRows, true);
        List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
        byState.forEach((state, n) -> stateRows.add(MultiGauge.Row.of(
                Tags.of("state", state.name().toLowerCase(Locale.ROOT)), n)));
        states.register(stateRows, true);
    }

    private static void add(List<MultiGauge.Row<?>> rows, String stream, String channel, ChannelLevel level) {
        if (level != null) {
            rows.add(MultiGauge.Row.of(Tags.of("stream", stream, "channel", channel), level.rmsDbfs()));
        }
    }
}
