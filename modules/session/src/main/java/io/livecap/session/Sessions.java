package io.livecap.session;

import io.livecap.asr.CountingEngine;
import io.livecap.asr.SpeechEngine;
import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.Caption;
import io.livecap.captions.CaseAndPunctuation;
import io.livecap.captions.LineBreaker;
import io.livecap.captions.Stability;
import io.livecap.delivery.CaptionFeed;
import io.livecap.delivery.CaptionHub;
import io.livecap.ingest.DecodedAudioListener;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.PullDecoder;
import io.livecap.ingest.PullSettings;
import io.livecap.ingest.PullSource;
import io.livecap.ingest.PullStateListener;
import io.livecap.ingest.PullStatus;
import io.livecap.ingest.StreamStart;

import io.livecap.timing.StreamTimeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import io.micrometer.core.instrument.Metrics;

/**
 * The live sessions of this server, at most one per stream id.
 *
 * <p>A stream id is one event with one timeline: each new source for it (an encoder that reconnects, a pull started
 * again, livecap restarted) continues the stored {@link StreamTimeline}, so {@code start}, {@code utterance} and
 * {@code seq} go on from where the last source left them. Only an id whose event was explicitly ended
 * ({@link #stopPull}, {@link StreamSession#markEventEnded}) and has stayed unused for the timeline expiry starts again,
 * as a new session of the id: {@code start} and {@code utterance} from 0 and 1, {@code seq} still going on (replays
 * hold every session's finals, each marked with its session).
 */
public final class Sessions {

    /** Long enough to re-add a pull stopped by mistake, short next to the days between two events on one id. */
    public static final Duration DEFAULT_TIMELINE_EXPIRY = Duration.ofHours(1);
    /** The error code of a refusal because a cap is reached (websocket close 1013, HTTP 503). */
    public static final String SERVER_BUSY = "server_busy";
    /** The error code of a source refused because its stream id already has one (here, or on another node). */
    public static final String STREAM_BUSY = "stream_busy";
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final CountingEngine engine;
    private final CaptionHub hub;
    private final LineBreaker breaker;
    private final ChannelStrategy defaultStrategy;
    private final Map<String, StreamSession> live = new ConcurrentHashMap<>();
    private final Map<String, PullStream> pulls = new ConcurrentHashMap<>();
    private final Duration timelineExpiry;
    private final Clock clock;
    private volatile PullSettings pullSettings = PullSettings.DEFAULT;
    private volatile int maxPulls; // 0 = no cap
    private volatile Duration warningInterval = Duration.ofSeconds(1);
    private volatile Duration recognizerIdle = StreamSession.DEFAULT_RECOGNIZER_IDLE;
    private volatile Leases leases = Leases.SOLO;
    private volatile Stability stability = Stability.OFF;
    private volatile boolean speakerChanges;
    /** Streams whose speaker changes are marked whatever the setting (a REACH task whose item has enableSpeakerId). */
    private final java.util.Set<String> speakerChangeStreams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Duration maxFinalDelay = Duration.ofMillis(3_000); // captions.max_final_delay_ms's default
    private volatile Supplier<CaseAndPunctuation> restorers = () -> CaseAndPunctuation.NONE;
    /** Told of each new session before it reads any audio (the console attaches its watch there). */
    private final List<Consumer<StreamSession>> openListeners = new CopyOnWriteArrayList<>();
    /** The last state of pulls that are over (failed, ended), so the API can still say why; the newest 1000. */
    private final Map<String, PullStatus> finishedPulls = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PullStatus> eldest) {
                    return size() > 1000;
                }
            });

    public Sessions(SpeechEngine engine, CaptionHub hub, LineBreaker breaker, ChannelStrategy defaultStrategy) {
        this(engine, hub, breaker, defaultStrategy, DEFAULT_TIMELINE_EXPIRY, Clock.systemUTC());
    }

    /**
     * @param timelineExpiry how long an explicitly ended stream id keeps its timeline: used again within it, it
     *                       continues; after it, it starts a new session
     * @param clock          what the expiry is measured with
     */
    public Sessions(SpeechEngine engine, CaptionHub hub, LineBreaker breaker, ChannelStrategy defaultStrategy,
                    Duration timelineExpiry, Clock clock) {
        this.timelineExpiry = timelineExpiry;
        this.clock = clock;
        this.engine = new CountingEngine(engine);
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
        // one node at a time captions a stream id: its timeline, seqs and finals are one sequence in the store
        String lease = Leases.stream(streamId);
        Leases.Claim claim = leases.claim(lease);
        if (!claim.mine()) {
            throw new IngestError(STREAM_BUSY, IngestError.POLICY, "stream " + streamId + " is live on node "
                    + claim.owner() + "; send its audio there");
        }
        StreamSession[] created = new StreamSession[1];
        try {
            return open(streamId, format, strategy, vocabulary, finishing, observer, created, lease);
        } catch (RuntimeException e) {
            if (!live.containsKey(streamId)) {
                leases.release(lease);
            }
            throw e;
        }
    }

    private StreamSession open(String streamId, StreamStart format, ChannelStrategy strategy, List<String> vocabulary,
                               UnaryOperator<Caption> finishing, SessionObserver observer, StreamSession[] created,
                               String lease) {
        live.compute(streamId, (id, existing) -> {
            if (existing != null && !existing.isEnded()) {
                throw new IngestError(STREAM_BUSY, IngestError.POLICY,
                        "stream " + id + " already has a live source (since " + existing.startedAt() + ")");
            }
            CaptionFeed feed = hub.feed(id);
            AtomicBoolean released = new AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    hub.release(feed);
                }
            };
            created[0] = new StreamSession(id, format, strategy, engine, feed, breaker, vocabulary, finishing,
                    new TimelineKeeping(existing, () -> timelineFor(id), hub.store(), clock), new SessionObserver() {
                @Override
                public void onDiscontinuity(io.livecap.timing.Discontinuity jump, long leftOut) {
                    observer.onDiscontinuity(jump, leftOut);
                }

                @Override
                public void onDrained() {
                    observer.onDrained();
                }

                @Override
                public void onFinished(long lastSeq) {
                    if (live.remove(id, created[0])) {
                        leases.release(lease);
                    }
                    release.run();
                    observer.onFinished(lastSeq);
                }

                @Override
                public void onFailed(String message) {
                    if (live.remove(id, created[0])) {
                        leases.release(lease);
                    }
                    release.run();
                    observer.onFailed(message);
                }
            });
            return created[0];
        });
        created[0].limitWarnings(warningInterval);
        created[0].releaseRecognizerAfter(recognizerIdle);
        created[0].stabilize(stability);
        created[0].markSpeakerChanges(speakerChanges || speakerChangeStreams.contains(streamId));
        created[0].finalizeWithin(maxFinalDelay);
        created[0].restoreWith(restorers);
        for (Consumer<StreamSession> listener : openListeners) {
            try {
                listener.accept(created[0]);
            } catch (RuntimeException e) {
                log.warn("stream {}: a session-open listener failed", streamId, e);
            }
        }
        created[0].start();
        return created[0];
    }

    /**
     * Calls {@code listener} with every session opened from now on, on the opening thread, before the session
     * starts: whatever it subscribes sees the session's first caption.
     */
    public void whenOpened(Consumer<StreamSession> listener) {
        openListeners.add(listener);
    }

    /** How pulls retry, give up and check TLS (the server's {@code ingest.pull_*} and {@code ingest.tls_*}). */
    public void usePullSettings(PullSettings settings) {
        this.pullSettings = settings;
    }

    /**
     * @param maxPulls        concurrent pulls at most (0 = no cap); past it {@link #openPull} refuses with
     *                        {@code server_busy}
     * @param warningInterval a repeated warning of one stream (pts jumps) is logged and sent at most this often
     */
    /** Who owns which stream id among the nodes on one store (default: this node alone, owning all). */
    public void useLeases(Leases leases) {
        this.leases = leases;
    }

    public Leases leases() {
        return leases;
    }

    /** Whether sessions opened from now on mark speaker changes ({@code captions.speaker_changes}). */
    public void useSpeakerChanges(boolean on) {
        this.speakerChanges = on;
    }

    /**
     * Whether sessions of {@code streamId} opened from now on (a restarted pull's too) mark speaker changes even when
     * {@code captions.speaker_changes} is off: a REACH task's catalog item asks for it with {@code enableSpeakerId}.
     */
    public void markSpeakerChanges(String streamId, boolean on) {
        if (on) {
            speakerChangeStreams.add(streamId);
        } else {
            speakerChangeStreams.remove(streamId);
        }
    }

    /** How steady the partials of sessions opened from now on are ({@code captions.stability}). */
    public void useStability(Stability level) {
        this.stability = level;
    }

    /**
     * Committed words of sessions opened from now on wait at most this much audio for their final
     * ({@code captions.max_final_delay_ms}; zero: finals only at the engine's end of utterance).
     */
    public void useMaxFinalDelay(Duration delay) {
        this.maxFinalDelay = delay;
    }

    /** What gives the captions of sessions opened from now on case and punctuation, one per stream. */
    public void useCaseAndPunctuation(Supplier<CaseAndPunctuation> restorers) {
        this.restorers = restorers;
    }

    public void useLimits(int maxPulls, Duration warningInterval) {
        this.maxPulls = maxPulls;
        this.warningInterval = warningInterval;
    }

    /**
     * A stream with no audio for {@code idle} frees its recogniser (the engine's per-stream memory) until audio comes
     * back ({@code limits.recognizer_idle_seconds}); zero keeps it for the stream's life. Applies to sessions opened
     * afterwards.
     */
    public void releaseIdleRecognizers(Duration idle) {
        this.recognizerIdle = idle;
    }

    /** Recognisers open now, sessions' and any other user's of {@link #engine()} (e.g. {@code /v1/vosk}). */
    public int recognizersOpen() {
        return engine.openRecognizers();
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
        String refusal = PullDecoder.refusal(source, pullSettings);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        int cap = maxPulls;
        if (cap > 0 && pulls.size() >= cap && !pulls.containsKey(streamId)) {
            throw new IngestError(SERVER_BUSY, 1013, "this server already runs " + cap
                    + " pulls (limits.max_pulls); try again later");
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

    /** Where the next source of {@code streamId} starts: its stored timeline, or a new one when that has expired. */
    private StreamTimeline timelineFor(String streamId) {
        StreamTimeline stored = hub.store().timeline(streamId);
        if (!stored.isEnded()) {
            return stored;
        }
        Duration since = Duration.ofMillis(Math.max(0, clock.millis() - stored.endedAtEpochMs()));
        if (since.compareTo(timelineExpiry) < 0) {
            log.info("stream {}: used again {} s after its event ended (expiry {} s): its timeline continues",
                    streamId, since.toSeconds(), timelineExpiry.toSeconds());
            return stored.reopened();
        }
        StreamTimeline next = stored.next();
        log.info("stream {}: its event ended {} s ago (expiry {} s): starting timeline session {} from 0",
                streamId, since.toSeconds(), timelineExpiry.toSeconds(), next.session());
        hub.store().saveTimeline(streamId, next);
        return next;
    }

    /**
     * Stops a pull and ends its event (an operator's DELETE, the end of a REACH slot); false if the stream is not
     * being pulled. Used again within the timeline expiry, the id continues its timeline.
     */
    public boolean stopPull(String streamId, String reason) {
        return stopPull(streamId, reason, true);
    }

    /** Stops a pull without ending its event: the stream goes on elsewhere (another node took it over). */
    public boolean stopPullKeepingEvent(String streamId, String reason) {
        return stopPull(streamId, reason, false);
    }

    private boolean stopPull(String streamId, String reason, boolean endsEvent) {
        PullStream pull = pulls.remove(streamId);
        if (pull == null) {
            return false;
        }
        if (endsEvent) {
            pull.session().markEventEnded();
        }
        pull.stop(reason);
        return true;
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

    /** The engine, counting the recognisers opened through it. */
    public SpeechEngine engine() {
        return engine;
    }

    public CaptionHub hub() {
        return hub;
    }

    /**
     * Ends every session (server shutdown): each finishes its recognition and sends its last finals. The events go
     * on: after a restart their streams continue their timelines.
     */
    public void endAll(String reason) throws InterruptedException {
        List.copyOf(pulls.keySet()).forEach(id -> stopPull(id, reason, false));
        List<StreamSession> sessions = List.copyOf(live.values());
        sessions.forEach(s -> s.end(reason));
        for (StreamSession s : sessions) {
            s.join(10_000);
        }
    }
}
