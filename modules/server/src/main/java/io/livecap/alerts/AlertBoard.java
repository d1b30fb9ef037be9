package io.livecap.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every alert of the node. A condition alert is raised while its condition holds and cleared when it goes; an event
 * alert (a gap, a pts jump, a pull restart) stays active until acknowledged or {@link #EVENT_HOLD} has passed. Each
 * raise is a WARN line (at most one per kind and subject per {@code log_interval_seconds}), a count in
 * {@code livecap_alerts_total{kind}}, one more in {@code livecap_alerts_active{kind}}, an entry in the console and a
 * webhook POST if one is set.
 */
public final class AlertBoard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertBoard.class);
    /** An event alert nobody acknowledged leaves the active list after this: it happened, it is not happening. */
    public static final Duration EVENT_HOLD = Duration.ofMinutes(10);
    /** Cleared alerts kept for the console's list. */
    static final int KEPT_CLEARED = 100;

    private final Clock clock;
    private final Map<String, Alert> active = new ConcurrentHashMap<>(); // by kind + subject
    private final List<Alert> cleared = new ArrayList<>();
    private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();
    private final Map<AlertKind, Counter> raised = new EnumMap<>(AlertKind.class);
    private final Map<AlertKind, AtomicLong> activeCounts = new EnumMap<>(AlertKind.class);
    private final AtomicLong ids = new AtomicLong();
    private volatile AlertSettings settings = AlertSettings.DEFAULTS;
    private volatile AlertWebhook webhook;

    /** Registers both metrics for every kind on {@code metrics} now, so each series exists before its first alert. */
    public AlertBoard(MeterRegistry metrics, Clock clock) {
        this.clock = clock;
        for (AlertKind kind : AlertKind.values()) {
            raised.put(kind, Counter.builder("livecap.alerts").tag("kind", kind.wireName())
                    .description("alerts raised, by kind").register(metrics));
            AtomicLong count = new AtomicLong();
            activeCounts.put(kind, count);
            Gauge.builder("livecap.alerts.active", count, AtomicLong::get).tag("kind", kind.wireName())
                    .description("alerts active now, by kind").register(metrics);
        }
    }

    public synchronized void configure(AlertSettings next) {
        this.settings = next;
        AlertWebhook old = webhook;
        webhook = next.webhookUrl().isEmpty() ? null
                : new AlertWebhook(next.webhookUrl(), Duration.ofMillis(next.webhookTimeoutMs()));
        if (old != null) {
            old.close();
        }
    }

    public AlertSettings settings() {
        return settings;
    }

    /** Raises (or keeps) the condition alert {@code kind} on {@code subject}; true if it was newly raised. */
    public boolean raise(AlertKind kind, String subject, String message) {
        Alert alert;
        synchronized (this) {
            String key = key(kind, subject);
            if (active.containsKey(key)) {
                return false;
            }
            alert = new Alert("a" + ids.incrementAndGet(), kind, subject, message, clock.instant(), null, false);
            active.put(key, alert);
            activeCounts.get(kind).incrementAndGet();
        }
        raised.get(kind).increment();
        String logKey = key(kind, subject);
        Instant now = clock.instant();
        Instant last = lastLogged.get(logKey);
        if (last == null || !now.isBefore(last.plusSeconds(settings.logIntervalSeconds()))) {
            lastLogged.put(logKey, now);
            log.warn("alert {} on {}: {}", kind.wireName(), subject, message);
        }
        post("raised", alert);
        return true;
    }

    /** Clears {@code kind} on {@code subject} if active; true if it was. */
    public boolean clear(AlertKind kind, String subject) {
        Alert gone = remove(key(kind, subject));
        if (gone != null) {
            log.info("alert {} on {} cleared", kind.wireName(), subject);
            post("cleared", gone);
        }
        return gone != null;
    }

    /** Clears every alert on {@code subject} but those listed (a stream that ended keeps none). */
    public void clearAllBut(String subject, List<AlertKind> kept) {
        for (Alert a : List.copyOf(active.values())) {
            if (a.subject().equals(subject) && !kept.contains(a.kind())) {
                clear(a.kind(), subject);
            }
        }
    }

    /**
     * Acknowledges alert {@code id}: an operator has seen it. An event alert is cleared by it; a condition alert
     * stays active (marked) until its condition goes. Empty if no active alert has that id.
     */
    public Optional<Alert> acknowledge(String id) {
        Alert acked;
        boolean event;
        synchronized (this) {
            Map.Entry<String, Alert> found = active.entrySet().stream().filter(e -> e.getValue().id().equals(id))
                    .findFirst().orElse(null);
            if (found == null) {
                return Optional.empty();
            }
            Alert a = found.getValue();
            acked = new Alert(a.id(), a.kind(), a.subject(), a.message(), a.raisedAt(), a.clearedAt(), true);
            event = isEvent(a.kind());
            active.put(found.getKey(), acked);
        }
        log.info("alert {} ({} on {}) acknowledged", id, acked.kind().wireName(), acked.subject());
        if (event) {
            clear(acked.kind(), acked.subject());
            return Optional.of(new Alert(acked.id(), acked.kind(), acked.subject(), acked.message(),
                    acked.raisedAt(), clock.instant(), true));
        }
        return Optional.of(acked);
    }

    /** Lets event alerts older than {@link #EVENT_HOLD} go; called on the console's tick. */
    public void expireEvents() {
        Instant cutoff = clock.instant().minus(EVENT_HOLD);
        for (Alert a : List.copyOf(active.values())) {
            if (isEvent(a.kind()) && a.raisedAt().isBefore(cutoff)) {
                clear(a.kind(), a.subject());
            }
        }
    }

    /** Active alerts, newest first, then the recently cleared. */
    public List<Alert> list() {
        List<Alert> all = new ArrayList<>(active.values());
        all.sort(Comparator.comparing(Alert::raisedAt).reversed());
        synchronized (this) {
            for (int i = cleared.size() - 1; i >= 0; i--) {
                all.add(cleared.get(i));
            }
        }
        return all;
    }

    public List<Alert> activeOn(String subject) {
        return active.values().stream().filter(a -> a.subject().equals(subject))
                .sorted(Comparator.comparing(Alert::raisedAt)).toList();
    }

    public boolean isActive(AlertKind kind, String subject) {
        return active.containsKey(key(kind, subject));
    }

    public List<Map<String, Object>> toJson() {
        return list().stream().map(Alert::toJson).toList();
    }

    private synchronized Alert remove(String key) {
        Alert a = active.remove(key);
        if (a == null) {
            return null;
        }
        activeCounts.get(a.kind()).decrementAndGet();
        Alert done = new Alert(a.id(), a.kind(), a.subject(), a.message(), a.raisedAt(), clock.instant(),
                a.acknowledged());
        cleared.add(done);
        if (cleared.size() > KEPT_CLEARED) {
            cleared.remove(0);
        }
        return done;
    }

    private void post(String change, Alert alert) {
        AlertWebhook hook = webhook;
        if (hook != null) {
            Map<String, Object> body = new LinkedHashMap<>(alert.toJson());
            body.put("change", change);
            hook.post(body);
        }
    }

    private static boolean isEvent(AlertKind kind) {
        return kind == AlertKind.MEDIA_GAP || kind == AlertKind.PTS_DISCONTINUITY || kind == AlertKind.PULL_RESTARTED;
    }

    private static String key(AlertKind kind, String subject) {
        return kind.wireName() + " " + subject;
    }

    @Override
    public synchronized void close() {
        if (webhook != null) {
            webhook.close();
        }
    }
}
