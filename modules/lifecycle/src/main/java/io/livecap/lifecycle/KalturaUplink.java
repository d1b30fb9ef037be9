package io.livecap.lifecycle;

import io.livecap.delivery.CaptionFeed;
import io.livecap.delivery.Cutoff;
import io.livecap.delivery.KalturaCaptionPusher;
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

    public KalturaUplink(CaptionStore store, DeliveryCheckpoints checkpoints, PushSettings settings) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.settings = settings;
    }

    @Override
    public void open(LiveTask task, CaptionFeed feed, URI captionUrl, Secret captionToken, Instant cutoff) {
        KalturaCaptionPusher previous = pushers.remove(task.key());
        if (previous != null) {
            previous.close();
        }
        pushers.put(task.key(), KalturaCaptionPusher.start(feed, store, checkpoints, captionUrl, captionToken,
                settings.withCutoff(Cutoff.atEpoch(cutoff))));
    }

    @Override
    public void close(LiveTask task) {
        KalturaCaptionPusher pusher = pushers.remove(task.key());
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
    public boolean isOpen(LiveTask task) {
        return pushers.containsKey(task.key());
    }

    /** The running push of a task's captions to its captionUrl (the console shows its destination and progress). */
    public java.util.Optional<KalturaCaptionPusher> pusher(TaskKey key) {
        return java.util.Optional.ofNullable(pushers.get(key));
    }
}
