package io.livecap.session;

import io.livecap.asr.SpeechEngine;
import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.Caption;
import io.livecap.captions.LineBreaker;
import io.livecap.delivery.CaptionHub;
import io.livecap.ingest.DecodedAudioListener;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.PullDecoder;
import io.livecap.ingest.PullSettings;
import io.livecap.ingest.PullSource;
import io.livecap.ingest.PullStateListener;
import io.livecap.ingest.PullStatus;
import io.livecap.ingest.StreamStart;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.Metrics;

/** The live sessions of this server, at most one per stream id. */
public final class Sessions {

    private final SpeechEngine engine;
    private final CaptionHub hub;
    private final LineBreaker breaker;
    private final ChannelStrategy defaultStrategy;
    private final Map<String, StreamSession> live = new ConcurrentHashMap<>();
    private final Map<String, PullStream> pulls = new ConcurrentHashMap<>();
    private volatile PullSettings pullSettings = PullSettings.DEFAULT;
    /** The last state of pulls that are over (failed, ended), so the API can still say why; the newest 1000. */
    private final Map<String, PullStatus> finishedPulls = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PullStatus> eldest) {
                    return size() > 1000;
                }
            });

    public Sessions(SpeechEngine engine, CaptionHub hub, LineBreaker breaker, ChannelStrategy defaultStrategy) {
        this.engine = engine;
        this.hub = hub;
        this.breaker = breaker;
        this.defaultStrategy = defaultStrategy;
        Metrics.gauge("livecap.streams.live", live, Map::size);
    }

    /** Starts a session with the start message's channel strategy, else the configured one. */
    public StreamSession open(String streamId, StreamStart format, SessionObserver observer) {
        return open(streamId, format, format.channelStrategy() != null ? format.channelStrategy() : defaultStrategy,
                observer);
    }

    /** Starts a session; a second source for a stream that is still live is refused. */
    public StreamSession open(String streamId, StreamStart format, ChannelStrategy strategy,
                              SessionObserver observer) {
        return open(streamId, format, strategy, List.of(), UnaryOperator.identity(), observer);
    }

    private StreamSession open(String streamId, StreamStart format, ChannelStrategy strategy, List<String> vocabulary,
                               UnaryOperator<Caption> finishing, SessionObserver observer) {
        StreamSession[] created = new StreamSession[1];
        live.compute(streamId, (id, existing) -> {
            if (existing != null && !existing.isEnded()) {
                throw new IngestError("stream_busy", IngestError.POLICY,
                        "stream " + id + " already has a live source (since " + existing.startedAt() + ")");
            }
            created[0] = new StreamSession(id, format, strategy, engine, hub.feed(id), breaker, vocabulary, finishing,
                    new SessionObserver() {
                @Override
                public void onDiscontinuity(io.livecap.timing.Discontinuity jump) {
                    observer.onDiscontinuity(jump);
                }

                @Override
                public void onDrained() {
                    observer.onDrained();
                }

                @Override
                public void onFinished(long lastSeq) {
                    live.remove(id, created[0]);
                    observer.onFinished(lastSeq);
                }

                @Override
                public void onFailed(String message) {
                    live.remove(id, created[0]);
                    observer.onFailed(message);
                }
            });
            return created[0];
        });
        created[0].start();
        return created[0];
    }

    /** How pulls retry, give up and check TLS (the server's {@code ingest.pull_*} and {@code ingest.tls_*}). */
    public void usePullSettings(PullSettings settings) {
        this.pullSettings = settings;
    }

    /** Starts a session that pulls {@code source}; it runs until {@link #stopPull} or shutdown. */
    public PullStream openPull(String streamId, PullSource source, String language, ChannelStrategy strategy) {
        return openPull(streamId, source, language, strategy, List.of(), UnaryOperator.identity());
    }

    /**
     * As above, for a REACH task: {@code vocabulary} reaches the engine as hints, {@code finishing} fixes every
     * caption (the task dictionary's spellings) before it is stored and sent.
     */
    public PullStream openPull(String streamId, PullSource source, String language, ChannelStrategy strategy,
                               List<String> vocabulary, UnaryOperator<Caption> finishing) {
        return openPull(streamId, source, language, strategy, vocabulary, finishing, (id, status) -> {
        });
    }

    /** As above; {@code states} hears every change of the pull's state (a REACH task's audit trail). */
    public PullStream openPull(String streamId, PullSource source, String language, ChannelStrategy strategy,
                               List<String> vocabulary, UnaryOperator<Caption> finishing, PullStateListener states) {
        String refusal = PullDecoder.refusal(source);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        StreamStart format = new StreamStart(StreamStart.PCM, DecodedAudioListener.SAMPLE_RATE,
                DecodedAudioListener.CHANNELS, source.timescale(), source.ptsBits(), language, strategy);
        StreamSession session = open(streamId, format, strategy == null ? defaultStrategy : strategy, vocabulary,
                finishing, new SessionObserver() {
                    @Override
                    public void onFinished(long lastSeq) {
                        pulls.remove(streamId);
                    }

                    @Override
                    public void onFailed(String message) {
                        PullStream pull = pulls.remove(streamId);
                        if (pull != null) {
                            pull.stop("session failed");
                        }
                    }
                });
        PullStream pull;
        try {
            finishedPulls.remove(streamId);
            pull = new PullStream(session, source, pullSettings, (id, status) -> {
                if (status.state().isFinal()) {
                    finishedPulls.put(id, status);
                }
                states.onPullState(id, status);
            });
        } catch (RuntimeException e) {
            session.end("pull could not start: " + e.getMessage());
            throw e;
        }
        pulls.put(streamId, pull);
        return pull;
    }

    /** Stops a pull; false if the stream is not being pulled. */
    public boolean stopPull(String streamId, String reason) {
        PullStream pull = pulls.remove(streamId);
        if (pull == null) {
            return false;
        }
        pull.stop(reason);
        return true;
    }

    public boolean isPulled(String streamId) {
        return pulls.containsKey(streamId);
    }

    /** The last state of a pull that is over (failed or ended), while remembered. */
    public Optional<PullStatus> finishedPull(String streamId) {
        return Optional.ofNullable(finishedPulls.get(streamId));
    }

    /** Every remembered pull that is over, by stream id. */
    public Map<String, PullStatus> finishedPulls() {
        synchronized (finishedPulls) {
            return Map.copyOf(finishedPulls);
        }
    }

    /** The pull feeding {@code streamId}, if it is pulled. */
    public Optional<PullStream> pull(String streamId) {
        return Optional.ofNullable(pulls.get(streamId));
    }

    public Optional<StreamSession> get(String streamId) {
        return Optional.ofNullable(live.get(streamId));
    }

    public Collection<StreamSession> live() {
        return List.copyOf(live.values());
    }

    public SpeechEngine engine() {
        return engine;
    }

    public CaptionHub hub() {
        return hub;
    }

    /** Ends every session (server shutdown): each finishes its recognition and sends its last finals. */
    public void endAll(String reason) throws InterruptedException {
        List.copyOf(pulls.keySet()).forEach(id -> stopPull(id, reason));
        List<StreamSession> sessions = List.copyOf(live.values());
        sessions.forEach(s -> s.end(reason));
        for (StreamSession s : sessions) {
            s.join(10_000);
        }
    }
}
