package io.livecap.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The REACH API v3 calls a live-caption vendor makes, against one region's endpoint. Thread-safe.
 * <p>
 * Which KS each call carries follows Kaltura's server: the vendor KS for {@code getJobs}, {@code updateJob},
 * {@code extendAccessKey} (the server looks the task up by the KS's vendor partner, and extending must work once the
 * access key has expired) and the catalog; the task's access key (a KS limited to the task's entry) for
 * {@code get}, the schedule event and caption assets.
 * <p>
 * Which calls are retried through timeouts and 5xx: the reads; {@code updateJob} and {@code setContent} (they set
 * absolute values: a repeat changes nothing); {@code extendAccessKey} (a repeat only issues another fresh key, and
 * the newest is kept). Not {@code caption_captionasset.add}, which makes a new asset each time.
 */
public final class ReachClient {

    /** Kaltura's maximum page size. */
    public static final int PAGE_SIZE = 500;
    /** A guard against a server that never returns a short page: 1000 pages of 500 tasks. */
    private static final int MAX_PAGES = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReachClient.class);
    private static final String TASKS = "reach_entryvendortask";
    private static final String CATALOG = "reach_vendorcatalogitem";
    private static final String EVENTS = "schedule_scheduleevent";
    private static final String CAPTIONS = "caption_captionasset";

    private final ReachEndpoint endpoint;
    private final Transport transport;

    public ReachClient(ReachEndpoint endpoint) {
        this(endpoint, RetryPolicy.defaults());
    }

    public ReachClient(ReachEndpoint endpoint, RetryPolicy retry) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.transport = new Transport(endpoint, retry);
    }

    public ReachEndpoint endpoint() {
        return endpoint;
    }

    public String region() {
        return endpoint.region();
    }

    /**
     * Every task of this vendor in {@code statuses} (PENDING and/or SCHEDULED: the only filters current servers
     * accept; older ones always answer PENDING), reading pages of {@value #PAGE_SIZE} until a short page. Each task
     * appears once even if the set shifted between pages.
     */
    public List<EntryVendorTask> getJobs(TaskStatus... statuses) throws ReachException {
        if (statuses.length == 0) {
            throw new IllegalArgumentException("name the statuses to list (PENDING, SCHEDULED)");
        }
        ObjectNode filter = transport.params();
        filter.put("objectType", "KalturaEntryVendorTaskFilter");
        if (statuses.length == 1) {
            filter.put("statusEqual", statuses[0].code());
        } else {
            filter.put("statusIn", Arrays.stream(statuses).map(s -> String.valueOf(s.code()))
                    .collect(Collectors.joining(",")));
        }
        // by id, not createdAt: createdAt has one-second resolution, and rows that tie may come back in a
        // different order on the next page's query, so offset paging would skip some tasks and repeat others
        filter.put("orderBy", "+id");
        Map<Long, EntryVendorTask> tasks = new LinkedHashMap<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            ObjectNode params = transport.params();
            params.set("filter", filter);
            ObjectNode pager = params.putObject("pager");
            pager.put("objectType", "KalturaFilterPager");
            pager.put("pageSize", PAGE_SIZE);
            pager.put("pageIndex", page);
            ObjectNode profile = params.putObject("responseProfile");
            profile.put("objectType", "KalturaResponseProfileHolder");
            profile.put("systemName", "reach_vendor");
            JsonNode answer = call(TASKS, "getJobs", params, endpoint.vendorKs(), false, null, true);
            JsonNode objects = answer.path("objects");
            for (JsonNode object : objects) {
                EntryVendorTask task = parse(() -> WireFormat.task(object, region()), "getJobs", null);
                tasks.putIfAbsent(task.id(), task);
            }
            if (objects.size() < PAGE_SIZE) {
                break;
            }
            if (page == MAX_PAGES) {
                log.warn("reach {} getJobs: stopped after {} full pages; the rest waits for the next poll",
                        region(), MAX_PAGES);
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(tasks.values()));
    }

    /** The task as it is now; {@link TaskNotFoundException} if it is gone (cancelled). */
    public EntryVendorTask get(TaskAccess task) throws ReachException {
        ObjectNode params = transport.params();
        params.put("id", task.taskId());
        JsonNode answer = call(TASKS, "get", params, task.accessKey(), true, task.taskId(), true);
        return parse(() -> WireFormat.task(answer, region()), "get", task.taskId());
    }

    /** Sets the fields of {@code update} on the task; returns the task as saved. */
    public EntryVendorTask updateJob(long taskId, TaskUpdate update) throws ReachException {
        ObjectNode params = transport.params();
        params.put("id", taskId);
        ObjectNode fields = params.putObject("entryVendorTask");
        fields.put("objectType", "KalturaEntryVendorTask");
        if (update.status() != null) {
            fields.put("status", update.status().code());
        }
        if (update.errDescription() != null) {
            fields.put("errDescription", update.errDescription());
        }
        if (update.accuracy() != null) {
            fields.put("accuracy", update.accuracy());
        }
        if (update.outputObjectId() != null) {
            fields.put("outputObjectId", update.outputObjectId());
        }
        if (update.externalTaskId() != null) {
            fields.put("externalTaskId", update.externalTaskId());
        }
        JsonNode answer = call(TASKS, "updateJob", params, endpoint.vendorKs(), false, taskId, true);
        return parse(() -> WireFormat.task(answer, region()), "updateJob", taskId);
    }

    /**
     * A new access key for a PROCESSING task whose key expired (or is about to); the returned task carries it.
     * {@link CannotExtendAccessKeyException} in any other status, {@link FailedExtendAccessKeyException} if the
     * server could not make one.
     */
    public EntryVendorTask extendAccessKey(long taskId) throws ReachException {
        ObjectNode params = transport.params();
        params.put("id", taskId);
        JsonNode answer = call(TASKS, "extendAccessKey", params, endpoint.vendorKs(), false, taskId, true);
        return parse(() -> WireFormat.task(answer, region()), "extendAccessKey", taskId);
    }

    /** A catalog item (a task's {@code catalogItemId}): its language, format, buffers and refund window. */
    public CatalogItem getCatalogItem(long catalogItemId) throws ReachException {
        ObjectNode params = transport.params();
        params.put("id", catalogItemId);
        JsonNode answer = call(CATALOG, "get", params, endpoint.vendorKs(), false, null, true);
        return parse(() -> WireFormat.catalogItem(answer), "catalog item get", null);
    }

    /** The live event a task captions ({@code taskJobData.scheduledEventId}), with its caption feature. */
    public ScheduleEvent getScheduleEvent(TaskAccess task, long scheduledEventId) throws ReachException {
        ObjectNode params = transport.params();
        params.put("scheduleEventId", scheduledEventId);
        JsonNode answer = call(EVENTS, "get", params, task.accessKey(), true, task.taskId(), true);
        return parse(() -> WireFormat.scheduleEvent(answer), "schedule event get", task.taskId());
    }

    /**
     * Adds a caption asset (no content yet) to the task's entry, with {@code marker} in its {@code partnerData} so
     * the partner can tell which request made it. Adding is not idempotent and Kaltura forbids listing caption
     * assets ("restricted for security reasons"), so an add whose answer is lost cannot be looked up: it is not
     * repeated here but ends in {@link ReachUncertainException}, and the caller decides (see
     * {@code CaptionAssetDelivery}).
     */
    public CaptionAsset addCaptionAsset(TaskAccess task, String entryId, NewCaptionAsset asset, String marker)
            throws ReachException {
        ObjectNode params = transport.params();
        params.put("entryId", entryId);
        ObjectNode fields = params.putObject("captionAsset");
        fields.put("objectType", "KalturaCaptionAsset");
        fields.put("format", String.valueOf(asset.format().code()));
        fields.put("fileExt", asset.format().fileExtension());
        if (asset.language() != null) {
            fields.put("language", asset.language());
        }
        if (asset.label() != null) {
            fields.put("label", asset.label());
        }
        if (asset.accuracy() != null) {
            fields.put("accuracy", asset.accuracy());
        }
        fields.put("usage", "0");
        fields.put("partnerData", marker);
        JsonNode answer = call(CAPTIONS, "add", params, task.accessKey(), true, task.taskId(), false);
        return parse(() -> WireFormat.captionAsset(answer), "caption asset add", task.taskId());
    }

    /** Sets a caption asset's file content (the whole SRT/VTT/DFXP text). Idempotent: it replaces the content. */
    public CaptionAsset setCaptionContent(TaskAccess task, String captionAssetId, String content)
            throws ReachException {
        ObjectNode params = transport.params();
        params.put("id", captionAssetId);
        ObjectNode resource = params.putObject("contentResource");
        resource.put("objectType", "KalturaStringResource");
        resource.put("content", content);
        JsonNode answer = call(CAPTIONS, "setContent", params, task.accessKey(), true, task.taskId(), true);
        return parse(() -> WireFormat.captionAsset(answer), "caption asset setContent", task.taskId());
    }

    public CaptionAsset getCaptionAsset(TaskAccess task, String captionAssetId) throws ReachException {
        ObjectNode params = transport.params();
        params.put("id", captionAssetId);
        JsonNode answer = call(CAPTIONS, "get", params, task.accessKey(), true, task.taskId(), true);
        return parse(() -> WireFormat.captionAsset(answer), "caption asset get", task.taskId());
    }

    private JsonNode call(String service, String action, ObjectNode params, Secret ks, boolean withAccessKey,
                          Long taskId, boolean idempotent) throws ReachException {
        return transport.call(new Transport.Call(service, action, params, ks, withAccessKey, taskId, idempotent));
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T parse(Parse<T> parse, String call, Long taskId) throws ReachProtocolException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ReachProtocolException(ReachException.where(region(), call, taskId)
                    + ": unexpected answer: " + e.getMessage(), region(), taskId, e);
        }
    }

    @Override
    public String toString() {
        return "ReachClient(" + endpoint + ")";
    }
}
