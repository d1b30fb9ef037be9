package io.livecap.lifecycle;

import io.livecap.reach.CatalogItem;
import io.livecap.reach.EntryVendorTask;
import io.livecap.reach.ReachClient;
import io.livecap.reach.ReachException;
import io.livecap.reach.ServiceFeature;
import io.livecap.reach.ServiceType;
import io.livecap.reach.TaskStatus;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds new Live caption tasks: Kaltura sends no notifications, so vendors poll {@code getJobs} (PENDING and
 * SCHEDULED, every page) in every region. Machine LIVE_CAPTION tasks not seen before are stored as PENDING (or
 * SCHEDULED, if REACH already has them so - a task adopted after the database was lost).
 */
public final class ReachPoller {

    private static final Logger log = LoggerFactory.getLogger(ReachPoller.class);

    private final List<ReachClient> clients;
    private final LiveTaskRepository tasks;
    private final Map<String, CatalogItem> catalog = new ConcurrentHashMap<>();
    private final Map<String, String> lastSummary = new ConcurrentHashMap<>();

    public ReachPoller(List<ReachClient> clients, LiveTaskRepository tasks) {
        this.clients = List.copyOf(clients);
        this.tasks = tasks;
    }

    /** One poll of every region; a region that fails is logged and tried again next time. Returns new tasks. */
    public int poll() {
        int added = 0;
        for (ReachClient client : clients) {
            try {
                added += poll(client);
            } catch (ReachException e) {
                Metrics.counter("livecap.reach.poll.failures", "region", client.region()).increment();
                log.warn("region {}: getJobs failed, will retry: {}", client.region(), e.getMessage());
            }
        }
        return added;
    }

    private int poll(ReachClient client) throws ReachException {
        int added = 0;
        int known = 0;
        Set<Long> seen = new HashSet<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (EntryVendorTask task : client.getJobs(TaskStatus.PENDING, TaskStatus.SCHEDULED)) {
            if (Thread.currentThread().isInterrupted()) {
                break; // shutting down: the rest waits for the next start
            }
            if (!seen.add(task.id())) {
                continue;
            }
            if (tasks.find(task.key()).isPresent()) {
                known++;
                continue;
            }
            String notOurs = notOurs(task);
            if (notOurs != null) {
                skipped.merge(notOurs, 1, Integer::sum);
                log.debug("{}: {}; not ours", task, notOurs);
                continue;
            }
            CatalogItem item = catalogItem(client, task.catalogItemId());
            LiveTask live = toLiveTask(task, item);
            if (tasks.insert(live)) {
                added++;
                tasks.audit(live.key(), "seen", "status " + task.status() + ", event " + live.scheduledEventId()
                        + ", slot " + live.slot() + ", " + item.outputFormat() + ", language " + live.language());
                log.info("{}: new (REACH status {}), slot {}", live, task.status(), live.slot());
            }
        }
        int skippedCount = skipped.values().stream().mapToInt(Integer::intValue).sum();
        // one line per poll however many tasks the partner has (the per-task reasons are at DEBUG); at INFO only
        // when it says something the previous poll's did not, so a quiet partner is not a line every poll
        String summary = "region " + client.region() + ": getJobs listed " + seen.size() + " tasks: " + added
                + " new, " + known + " already ours, " + skippedCount + " not ours"
                + (skipped.isEmpty() ? "" : " " + skipped);
        String previous = lastSummary.put(client.region(), summary);
        if (added > 0 || !summary.equals(previous)) {
            log.info(summary);
        } else {
            log.debug(summary);
        }
        return added;
    }

    /** Why a listed task is not a Live caption task of ours, or null if it is. */
    private static String notOurs(EntryVendorTask task) {
        if (task.serviceFeature() != ServiceFeature.LIVE_CAPTION) {
            return "feature " + (task.serviceFeature() == null ? "unknown" : task.serviceFeature().name());
        }
        if (task.serviceType() != ServiceType.MACHINE) {
            return "service type " + (task.serviceType() == null ? "unknown" : task.serviceType().name());
        }
        if (task.schedule().isEmpty()) {
            return "no schedule";
        }
        return null;
    }

    private CatalogItem catalogItem(ReachClient client, long id) throws ReachException {
        String key = client.region() + "/" + id;
        CatalogItem item = catalog.get(key);
        if (item == null) {
            item = client.getCatalogItem(id);
            catalog.put(key, item);
        }
        return item;
    }

    static LiveTask toLiveTask(EntryVendorTask task, CatalogItem item) {
        var schedule = task.schedule().orElseThrow();
        // the order's source language decides: a media language of "Undefined" is normal and never stops a job
        String language = Languages.toTag(item.sourceLanguage());
        return new LiveTask(task.key(), task.entryId(), task.partnerId(), task.catalogItemId(),
                schedule.scheduledEventId(), schedule.startDate(), schedule.endDate(),
                orZero(item.minimalRefundTime()), orZero(item.startTimeBuffer()), orZero(item.endTimeBuffer()),
                item.outputFormat() == null ? io.livecap.reach.OutputFormat.SRT : item.outputFormat(), language,
                task.dictionary(), task.accessKey(),
                task.status() == TaskStatus.SCHEDULED ? LiveTaskState.SCHEDULED : LiveTaskState.PENDING, false,
                null, null, null, Set.of(), AssetDelivery.NONE);
    }

    private static Duration orZero(Duration d) {
        return d == null ? Duration.ZERO : d;
    }
}
