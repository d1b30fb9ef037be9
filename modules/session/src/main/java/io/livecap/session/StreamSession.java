package io.livecap.session;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.OnDemandRecognizer;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.AudioHealth;
import io.livecap.audio.ChannelRepair;
import io.livecap.audio.ChannelStrategy;
import io.livecap.audio.HealthEvent;
import io.livecap.audio.HealthSnapshot;
import io.livecap.audio.Resampler;
import io.livecap.captions.Caption;
import io.livecap.captions.CaptionBuilder;
import io.livecap.captions.CaseAndPunctuation;
import io.livecap.captions.LineBreaker;
import io.livecap.captions.SpeakerChangeMarks;
import io.livecap.captions.Stability;
import io.livecap.captions.UtteranceCutter;
import io.livecap.speakers.SpeakerChangeDetector;
import io.livecap.delivery.CaptionFeed;
import io.livecap.ingest.Chunk;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.MediaGap;
import io.livecap.ingest.StreamStart;
import io.livecap.delivery.CaptionStore;
import io.livecap.timing.Discontinuity;
import io.livecap.timing.StreamTimeline;
import io.livecap.timing.TimelineGap;
import io.livecap.timing.TimelinePoint;
import io.livecap.timing.TimingMap;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One live stream's chain: timing map, audio health and channel repair, resampling, recogniser, caption builder,
 * caption feed.
 *
 * <p>Media goes in on any thread ({@link #offer}); everything after runs on the session's own thread, so the
 * recogniser is never used from two threads and a slow or failing stream never holds up another.
 * Backlog is bounded by the caller: when {@link #backlogMs()} passes {@link #HIGH_WATER_MS} it stops reading its
 * source until {@link SessionObserver#onDrained()}.
 *
 * <p>The recogniser (a pocketsphinx decoder is about 87 MB) exists only while audio flows: it is opened at the first
 * audio, released once no audio has come for {@link #DEFAULT_RECOGNIZER_IDLE}, and opened again when audio resumes,
 * on the same timeline (see {@link OnDemandRecognizer}).
 */
public final class StreamSession {

    public static final long HIGH_WATER_MS = 2_000;
    private static final long LOW_WATER_MS = 500;
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    /** A finishing recogniser has at most its backlog (2 s of audio) and one last final to do. */
    private static final long PREDECESSOR_WAIT_MS = 30_000;
    /** Long enough for a pause or an encoder's reconnect, short next to a break in an event. */
    public static final Duration DEFAULT_RECOGNIZER_IDLE = Duration.ofSeconds(30);

    private sealed interface Command permits Media, Resume, End {
    }

    /** A pulled source came back after a gap: the timeline moves on by it before the next chunk. */
    private record Resume(MediaGap gap) implements Command {
    }

    private record Media(Chunk chunk) implements Command {
    }

    private record End(String reason) implements Command {
    }

    private final String streamId;
    private final StreamStart format;
    private final SpeechEngine engine;
    private final CaptionFeed feed;
    private final LineBreaker breaker;
    private final SessionObserver observer;
    private Stability stability = Stability.OFF;
    private long maxFinalDelayMs;
    private Supplier<CaseAndPunctuation> restorers = () -> CaseAndPunctuation.NONE;
    private boolean marksSpeakerChanges;
    private SpeakerChangeDetector speakers; // the session thread's, when speaker changes are marked
    private RepeatedWarning ptsWarnings = new RepeatedWarning(Duration.ofSeconds(1));
    private Duration recognizerIdle = DEFAULT_RECOGNIZER_IDLE;
    private final List<String> vocabulary;
    private final UnaryOperator<Caption> finishing;
    private final Instant startedAt = Instant.now();
    private final LinkedBlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final AtomicLong backlogFrames = new AtomicLong();
    private final TimingMap timing;
    private final AudioHealth health;
    private final ChannelRepair repair;
    private final Thread worker;
    private final List<Discontinuity> discontinuities = new CopyOnWriteArrayList<>();
    private final CaptionStore timelines;
    private final Clock clock;
    private final Supplier<StreamTimeline> timelineSource;
    private StreamSession predecessor; // dropped once finished, so sessions do not hold a chain of their past
    private volatile StreamTimeline timeline = StreamTimeline.FIRST;
    private volatile boolean ended;
    private volatile boolean endsEvent;
    private volatile SessionState state = SessionState.STARTING;
    private volatile long audioMs;
    private volatile OnDemandRecognizer recognizer; // read by the operator API; used by the session thread only

    /**
     * @param vocabulary words and phrases the engine should favour (a REACH task's dictionary)
     * @param finishing  applied to every caption before it is stored and sent (e.g. the dictionary's spellings)
     * @param keeping    how this source continues the stream id's timeline: it waits for the stream's previous
     *                   session, which may still be finishing its captions, then goes on where that left it
     */
    public StreamSession(String streamId, StreamStart format, ChannelStrategy strategy, SpeechEngine engine,
                         CaptionFeed feed, LineBreaker breaker, List<String> vocabulary,
                         UnaryOperator<Caption> finishing, TimelineKeeping keeping, SessionObserver observer) {
        this.predecessor = keeping.predecessor();
        this.timelineSource = keeping.timeline();
        this.timelines = keeping.store();
        this.clock = keeping.clock();
        this.vocabulary = List.copyOf(vocabulary);
        this.finishing = finishing;
        this.streamId = streamId;
        this.format = format;
        this.engine = engine;
        this.feed = feed;
        this.breaker = breaker;
        this.observer = observer;
        this.timing = new TimingMap(format.sampleRate(), format.timescale(), format.ptsBits());
        this.health = new AudioHealth(streamId, format.sampleRate(), format.channels(), strategy, this::onHealth);
        this.repair = new ChannelRepair(health);
        this.worker = new Thread(this::run, "session-" + streamId);
        this.worker.setDaemon(true);
    }

    /** How often a repeated warning is logged and sent (Sessions' setting); call before {@link #start}. */
    void limitWarnings(Duration interval) {
        this.ptsWarnings = new RepeatedWarning(interval);
    }

    /**
     * A stream with no audio for this long frees its recogniser (Sessions' setting); zero keeps it until the end.
     * Call before {@link #start}.
     */
    void releaseRecognizerAfter(Duration idle) {
        this.recognizerIdle = idle;
    }

    /** Whether the first caption after a speaker change is marked ({@code >> }); call before {@link #start}. */
    void markSpeakerChanges(boolean on) {
        this.marksSpeakerChanges = on;
    }

    /** How steady partials are (Sessions' setting); call before {@link #start}. */
    void stabilize(Stability level) {
        this.stability = level;
    }

    /**
     * Committed words wait at most this much audio for their final, whatever the speaker's pauses (Sessions'
     * setting; zero: finals only at the engine's end of utterance); call before {@link #start}.
     */
    void finalizeWithin(Duration delay) {
        this.maxFinalDelayMs = delay.toMillis();
    }

    /** What gives this stream's captions case and punctuation (Sessions' setting); call before {@link #start}. */
    void restoreWith(Supplier<CaseAndPunctuation> restorers) {
        this.restorers = restorers;
    }

    public void start() {
        worker.start();
    }

    /** Queues a chunk; checks its size here so the sender learns at once. */
    public void offer(Chunk chunk) {
        if (ended) {
            throw new IngestError("ended", IngestError.POLICY, "stream " + streamId + " has already ended");
        }
        if (chunk.payload().length % format.bytesPerFrame() != 0) {
            throw new IngestError("bad_chunk", IngestError.INVALID_PAYLOAD, "payload of " + chunk.payload().length
                    + " bytes is not a whole number of " + format.channels() + "-channel 16-bit sample frames");
        }
        backlogFrames.addAndGet(chunk.payload().length / format.bytesPerFrame());
        queue.add(new Media(chunk));
    }

    /**
     * The event is over when this source ends (any thread): its end marks the stream id's timeline ended, so that
     * once that has expired the id starts a new one (a new session). Without it an end is a source going away, and
     * the event may go on with another.
     */
    public void markEventEnded() {
        endsEvent = true;
    }

    /** No more media: finish recognition, send the last finals and end-of-stream. Idempotent. */
    public void end(String reason) {
        if (!ended) {
            ended = true;
            queue.add(new End(reason));
        }
    }

    public long backlogMs() {
        return backlogFrames.get() * 1000 / format.sampleRate();
    }

    public String streamId() {
        return streamId;
    }

    public StreamStart format() {
        return format;
    }

    public SessionState state() {
        return state;
    }

    public long audioMs() {
        return audioMs;
    }

    /** Whether the stream holds a recogniser now: not before its first audio, nor while it is quiet. */
    public boolean recognizerOpen() {
        OnDemandRecognizer r = recognizer;
        return r != null && r.isOpen();
    }

    /** The stream's audio health as the operator API shows it (any thread). */
    public HealthSnapshot health() {
        return health.snapshot();
    }

    /** An operator's channel strategy; applied at the next 0.5 s window (any thread). */
    public void requestStrategy(ChannelStrategy strategy) {
        health.request(strategy);
    }

    /**
     * A pulled source dropped and came back (call on the thread that offers its audio, before the audio after the
     * gap): the timeline moves on by the gap, which is kept for the timing report, logged and counted.
     */
    public void recordGap(MediaGap gap) {
        Metrics.counter("livecap.media.gaps").increment();
        queue.add(new Resume(gap));
    }

    /** What the operator API shows of the stream's clocks: audio so far, pts jumps and timeline gaps. */
    public Map<String, Object> timingReport() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("stream_id", streamId);
        report.put("session", timeline.session());
        report.put("audio_ms", audioMs);
        report.put("timescale", format.timescale());
        report.put("pts_bits", format.ptsBits());
        report.put("discontinuities", discontinuities.stream().map(d -> Map.of("at", d.atMs(),
                "expected_pts", d.expectedPts(), "pts", d.actualPts(), "jump_ticks", d.jumpTicks())).toList());
        report.put("gaps", timing.recentGaps().stream().map(g -> Map.of("at", g.atMs(), "length_ms", g.lengthMs(),
                "wall_ms", g.wallMs(), "measured_by", g.measure() == TimelineGap.Measure.PTS ? "pts" : "wall_clock",
                "expected_pts", g.expectedPts(), "resume_pts", g.resumePts(), "cause", g.cause())).toList());
        return report;
    }

    private static <T> void remember(List<T> list, T item) {
        list.add(item);
        if (list.size() > 100) {
            list.remove(0);
        }
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean isEnded() {
        return ended;
    }

    /** Waits for the session thread to finish (tests, shutdown). */
    public void join(long millis) throws InterruptedException {
        worker.join(millis);
    }

    private void run() {
        try {
            awaitPredecessor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
            return;
        }
        timeline = timelineSource.get();
        TimelinePoint before = timeline.end();
        if (before != null) {
            // never start before the last final ended, even if the engine let it run past its audio
            timing.continueAfter(new TimelinePoint(Math.max(before.endMs(), timeline.lastFinalEndMs()),
                    before.lastArrivalEpochMs(), before.nextPts(), before.timescale(), before.ptsBits()));
        }
        long firstSeq = feed.open();
        Resampler resampler = new Resampler(format.sampleRate(), SpeechEngine.SAMPLE_RATE);
        SpeakerChangeMarks marks = new SpeakerChangeMarks();
        if (marksSpeakerChanges) {
            speakers = new SpeakerChangeDetector(ms -> marks.changeAt(timing.timelineMs(ms)));
        }
        CaptionBuilder builder = new CaptionBuilder(streamId, format.language(), timing, breaker, firstSeq,
                timeline.session(), timeline.nextUtterance(), timeline.lastFinalEndMs(), stability,
                restorers.get(), caption -> feed.accept(marks.apply(finishing.apply(caption))));
        // early finals: the engine's utterance is cut at a short pause, so its finals are its own (second pass)
        SpeechEngine recognising = maxFinalDelayMs > 0
                ? new UtteranceCutter(engine, maxFinalDelayMs, 0,
                        () -> Metrics.counter("livecap.captions.early_finals").increment()) : engine;
        String endReason = "end of stream";
        try (OnDemandRecognizer recognizer = new OnDemandRecognizer(recognising,
                new StreamOptions(format.language(), vocabulary), keepingTimeline(builder))) {
            this.recognizer = recognizer;
            state = SessionState.LIVE;
            log.info("stream {}: live ({} Hz, {} ch, timescale {}, pts_bits {}, {}, engine {}); timeline session {}"
                            + " {}", streamId, format.sampleRate(), format.channels(), format.timescale(),
                    format.ptsBits(), format.language(), engine.name(), timeline.session(), timeline.end() == null
                            ? "from 0" : "continues after " + timeline.end().endMs() + " ms, utterance "
                            + timeline.nextUtterance());
            while (true) {
                Command command = next(recognizer);
                if (command instanceof End end) {
                    endReason = end.reason();
                    short[] held = repair.flush(); // audio still waiting for a repair decision
                    short[] last = resampler.process(held, held.length);
                    recognizer.acceptAudio(last, last.length);
                    short[] tail = resampler.flush();
                    recognizer.acceptAudio(tail, tail.length);
                    recognizer.finish();
                    break;
                }
                if (command instanceof Resume resume) {
                    resumeAfter(resume.gap());
                    continue;
                }
                process(((Media) command).chunk(), resampler, recognizer);
            }
            saveTimeline(builder, endsEvent);
            if (ptsWarnings.leftOut() > 0) {
                log.warn("stream {}: {} more pts discontinuities since the last warning (of {} in all)", streamId,
                        ptsWarnings.leftOut(), ptsWarnings.total());
            }
            state = SessionState.ENDED;
            log.info("stream {}: ended ({}) after {} ms of audio, {} discontinuities, last seq {}", streamId,
                    endReason, timing.durationMs(), timing.discontinuityCount(), builder.nextSeq() - 1);
            feed.end(endReason);
            observer.onFinished(builder.nextSeq() - 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        } catch (RuntimeException e) {
            log.error("stream {}: recognition failed", streamId, e);
            fail("recognition failed: " + e.getMessage());
        }
    }

    /** The next command; while none comes for the idle time, the recogniser is released (its last final sent). */
    private Command next(OnDemandRecognizer recognizer) throws InterruptedException {
        if (!recognizer.isOpen() || recognizerIdle.isZero()) {
            return queue.take();
        }
        Command command = queue.poll(recognizerIdle.toMillis(), TimeUnit.MILLISECONDS);
        if (command != null) {
            return command;
        }
        recognizer.release();
        log.info("stream {}: no audio for {} s: recogniser released after {} ms of audio (opened {} times); the next"
                + " audio opens a new one", streamId, recognizerIdle.toSeconds(), timing.durationMs(),
                recognizer.timesOpened());
        return queue.take();
    }

    /**
     * A source that reconnects at once finds its previous session still recognising the tail: its finals, seqs and
     * the end of its audio must all be settled before this one numbers on and places itself after them.
     */
    private void awaitPredecessor() throws InterruptedException {
        if (predecessor == null) {
            return;
        }
        predecessor.join(PREDECESSOR_WAIT_MS);
        if (predecessor.worker.isAlive()) {
            log.warn("stream {}: previous session still running after {} ms; continuing its timeline as stored",
                    streamId, PREDECESSOR_WAIT_MS);
        }
        predecessor = null;
    }

    /** The builder, and after each final (all its blocks) the timeline saved, so the next source continues it. */
    private RecognitionListener keepingTimeline(CaptionBuilder builder) {
        return new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
                builder.onPartial(partial);
            }

            @Override
            public void onFinal(Hypothesis fin) {
                long corrected = builder.stableWordsCorrected();
                builder.onFinal(fin);
                if (builder.stableWordsCorrected() > corrected) {
                    // a final that changed words partials had shown as stable: how far "stable" can be trusted
                    Metrics.counter("livecap.captions.stable.corrected")
                            .increment(builder.stableWordsCorrected() - corrected);
                }
                saveTimeline(builder, false);
            }
        };
    }

    private void saveTimeline(CaptionBuilder builder, boolean eventOver) {
        StreamTimeline now = timeline.movedTo(builder.nextUtterance(), builder.lastFinalEndMs(), timing.end());
        timelines.saveTimeline(streamId, eventOver ? now.endedAt(clock.millis()) : now);
    }

    private void resumeAfter(MediaGap gap) {
        TimelineGap moved = timing.gap(gap.lastAudioEpochMs(), gap.resumeEpochMs(), gap.expectedPts(),
                gap.resumePts(), gap.cause());
        log.warn("stream {}: media gap of {} ms at {} ms ({}); start moves on by {} ms (by the {})", streamId,
                gap.lengthMs(), moved.atMs(), gap.cause(), moved.lengthMs(),
                moved.measure() == TimelineGap.Measure.PTS ? "pts, which continued" : "wall clock");
    }

    private void process(Chunk chunk, Resampler resampler, RecognitionStream recognizer) {
        int frames = chunk.payload().length / format.bytesPerFrame();
        long chunkStartMs = timing.durationMs();
        Discontinuity jump = timing.append(chunk.pts(), chunk.receivedEpochMs(), frames);
        if (jump != null) {
            Metrics.counter("livecap.pts.discontinuities").increment();
            remember(discontinuities, jump);
            long leftOut = ptsWarnings.admit(System.nanoTime() / 1_000_000); // a monotonic clock: tests fix the wall one
            if (leftOut >= 0) {
                log.warn("stream {}: pts discontinuity at {} ms: expected {}, got {} ({} s); start stays continuous{}",
                        streamId, jump.atMs(), jump.expectedPts(), jump.actualPts(),
                        String.format("%+.3f", jump.jumpSeconds(format.timescale())),
                        leftOut == 0 ? "" : " (" + leftOut + " more since the last warning)");
                observer.onDiscontinuity(jump, leftOut);
            }
        }
        short[] interleaved = new short[frames * format.channels()];
        ByteBuffer.wrap(chunk.payload()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(interleaved);
        short[] mono = repair.accept(interleaved, frames, chunkStartMs); // may hold or release audio, never reorder
        short[] pcm16k = resampler.process(mono, mono.length);
        if (speakers != null) {
            speakers.accept(pcm16k, pcm16k.length); // first, so a change is known before captions of this audio
        }
        recognizer.acceptAudio(pcm16k, pcm16k.length);
        audioMs = timing.durationMs();
        long before = backlogFrames.get() * 1000 / format.sampleRate();
        long after = backlogFrames.addAndGet(-frames) * 1000 / format.sampleRate();
        if (before >= LOW_WATER_MS && after < LOW_WATER_MS) {
            observer.onDrained();
        }
    }

    private void onHealth(HealthEvent event) {
        Metrics.counter("livecap.audio.health.events", "kind", event.kind().wireName()).increment();
        // audio health counts from this source's first sample; subscribers read times on the stream's timeline
        feed.health(event.at(timing.timelineMs(event.startMs())));
    }

    private void fail(String message) {
        state = SessionState.FAILED;
        ended = true;
        feed.end(message);
        observer.onFailed(message);
    }
}
