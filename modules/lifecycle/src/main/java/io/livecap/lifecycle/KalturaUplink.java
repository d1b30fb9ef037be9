package io.livecap.lifecycle;

import io.livecap.delivery.CaptionFeed;
import io.livecap.delivery.Cutoff;
import io.livecap.delivery.KalturaCaptionPusher;
import io.livecap.delivery.PushResult;
import io.livecap.delivery.PushSettings;
import io.livecap.reach.Secret;
import io.livecap.reach.TaskKey;
import io.livecap.delivery.CaptionStore;
import io.livecap.delivery.DeliveryCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Each Live task's captions to its Kaltura {@code captionUrl}, one {@link KalturaCaptionPusher} per task. */
public final class KalturaUplink implements CaptionUplink {

    private static final Logger log = LoggerFactory.getLogger(KalturaUplink.class);
    /** How long the end of a stream may take to be confirmed by Kaltura before the task moves on. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(15);

    private final CaptionStore store;
    private final DeliveryCheckpoints checkpoints;
    private final PushSettings settings;
    private final Map<TaskKey, KalturaCaptionPusher> pushers = new ConcurrentHashMap<>();
    /** What each push was started with, so an operator's retry can start it again. */
    private final Map<TaskKey, Target> targets = new ConcurrentHashMap<>();

    private record Target(CaptionFeed feed, URI captionUrl, Secret captionToken, Instant cutoff) {
    }

    /** Why {@link #retry} did or did not start a new push. */
    public enum Retry { RESTARTED, NO_PUSH, DELIVERED }

    public KalturaUplink(CaptionStore store, DeliveryCheckpoints checkpoints, PushSettings settings) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.settings = settings;
    }

    @Override
    public synchronized void open(LiveTask task, CaptionFeed feed, URI captionUrl, Secret captionToken, Instant cutoff) {
        KalturaCaptionPusher previous = pushers.remove(task.key());
        if (previous != null) {
            previous.close();
        }
        targets.put(task.key(), new Target(feed, captionUrl, captionToken, cutoff));
        pushers.put(task.key(), KalturaCaptionPusher.start(feed, store, checkpoints, captionUrl, captionToken,
                settings.withCutoff(Cutoff.atEpoch(cutoff))));
    }

    /**
     * An operator's retry of a task's delivery (a refused or stopped push, or one stuck reconnecting): the push
     * is closed and started again, resuming after the seq the captionUrl last confirmed (its checkpoint), so no
     * final is skipped and none confirmed is sent again. A push that delivered eos is left alone.
     */
    public synchronized Retry retry(TaskKey key) {
        KalturaCaptionPusher previous = pushers.get(key);
        Target target = targets.get(key);
        if (previous == null || target == null) {
            return Retry.NO_PUSH;
        }
        if (previous.result().map(r -> r.outcome() == PushResult.Outcome.DELIVERED).orElse(false)) {
            return Retry.DELIVERED;
        }
        previous.close();
        log.info("{}: delivery retried by operator; was {}", key, previous.result().map(PushResult::toString)
                .orElse("still pushing"));
        pushers.put(key, KalturaCaptionPusher.start(target.feed(), store, checkpoints, target.captionUrl(),
                target.captionToken(), settings.withCutoff(Cutoff.atEpoch(target.cutoff()))));
        return Retry.RESTARTED;
    }

    @Override
    public void close(LiveTask task) {
        KalturaCaptionPusher pusher;
        synchronized (this) { // not while a retry starts a push that this would then leave running
            pusher = pushers.remove(task.key());
            targets.remove(task.key());
        }
        if (pusher == null) {
            return;
        }
        try {
            var result = pusher.stop(FINISH_GRACE).get(FINISH_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
            log.info("{}: captions to Kaltura finished: {}", task, result);
        } catch (Exception e) {
            log.warn("{}: captions to Kaltura did not finish cleanly: {}", task, e.toString());
            pusher.close();
        }
    }

    @Override
    public void handOver(LiveTask task, Duration grace) {
        KalturaCaptionPusher pusher;
        synchronized (this) {
            pusher = pushers.remove(task.key());
            targets.remove(task.key());
        }
        if (pusher == null) {
            return;
        }
        boolean confirmed = false;
        try {
            confirmed = !grace.isZero() && pusher.awaitFinalsConfirmed(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pusher.close();
        log.info("{}: captions to Kaltura handed over at confirmed seq {}{}", task, pusher.confirmedSeq(),
                confirmed || grace.isZero() ? "" : " (not every final was confirmed within " + grace.toMillis()
                        + " ms: the next owner sends the rest again)");
    }

    @Override
    public boolean isOpen(LiveTask task) {
        return pushers.containsKey(task.key());
    }

    /** The running push of a task's captions to its captionUrl (the console shows its destination and progress). */
    public java.util.Optional<KalturaCaptionPusher> pusher(TaskKey key) {
        return java.util.Optional.ofNullable(pushers.get(key));
    }
}
