package io.livecap.sandbox;

import io.livecap.captions.SubtitleValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livecap.reach.OrderedSlot;
import io.livecap.reach.OutputFormat;
import io.livecap.reach.Secret;
import io.livecap.reach.ServiceFeature;
import io.livecap.reach.ServiceType;
import io.livecap.reach.TaskStatus;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Kaltura region of the fake partner: its tasks, events, catalog item and caption assets, the API actions a
 * vendor calls, and the admin hooks that play the customer's part (cancelling, letting keys expire).
 * <p>
 * Which KS each action accepts follows Kaltura's server: the vendor KS for {@code getJobs}, {@code updateJob},
 * {@code extendAccessKey} and the catalog; a task's access key (a KS of the customer's partner, limited to the
 * task's entry) for the task's {@code get}, the schedule event and caption assets. With the vendor KS those
 * customer objects are invisible, so the server answers their not-found error.
 */
public final class SandboxRegion {

    static final long CATALOG_ITEM_ID = 101;
    private static final long REACH_PROFILE_ID = 7;
    private static final Pattern CLIENT_TAG = Pattern.compile("^app:[A-Za-z0-9.\\-]+_[A-Za-z0-9.\\-]+_(\\d+)(?:_task-(\\d+))?$");
    private static final int DEFAULT_PAGE_SIZE = 30;
    private boolean enableSpeakerId; // guarded by this
    private static final int MAX_PAGE_SIZE = 500;
    /** how early PROCESSING may start before the slot without a remark */
    private static final Duration PROCESSING_GRACE = Duration.ofMinutes(1);

    private record Grant(long taskId, String entryId, Instant issued, Instant[] expiresAt) {
        boolean expired(Instant now) {
            return !now.isBefore(expiresAt[0]);
        }
    }

    private final String name;
    private final SandboxConfig config;
    private final Clock clock;
    private final URI serviceUrl;
    private final URI socketBase;
    private final Secret vendorKs = Secret.of(Sandbox.newKs());
    private final Instant createdAt;
    private final Map<Long, SandboxTask> tasks = new LinkedHashMap<>();
    private final Map<Long, SandboxEvent> events = new LinkedHashMap<>();
    private final Map<String, SandboxAsset> assets = new LinkedHashMap<>();
    private final Map<Secret, Grant> grants = new HashMap<>();
    private final Map<String, Integer> calls = new TreeMap<>();
    private final List<SandboxTask.Note> violations = new ArrayList<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Consumer<SandboxEvent> onCancel;
    private final List<ActionFault> actionFaultList = new ArrayList<>();
    private final List<int[]> actionFaults = new ArrayList<>();
    private final Map<String, Integer> actionFaultsServed = new TreeMap<>();
    private final Map<Long, AssetProcessing> processingByTask = new HashMap<>();
    private AssetProcessing defaultProcessing = AssetProcessing.IMMEDIATE;
    private long nextTaskId;
    private long nextEventId = 5001;
    private long nextEntry = 1;
    private long nextAsset = 1;

    SandboxRegion(String name, SandboxConfig config, Clock clock, URI serviceUrl, URI socketBase,
                  Consumer<SandboxEvent> onCancel) {
        this.name = name;
        this.config = config;
        this.clock = clock;
        this.serviceUrl = serviceUrl;
        this.socketBase = socketBase;
        this.onCancel = onCancel;
        this.createdAt = clock.instant();
        this.nextTaskId = config.firstId();
    }

    public String name() {
        return name;
    }

    /** The {@code serviceUrl} a vendor points its client at for this region. */
    public URI serviceUrl() {
        return serviceUrl;
    }

    public Secret vendorKs() {
        return vendorKs;
    }

    public long vendorPartnerId() {
        return config.vendorPartnerId();
    }

    // ---- admin hooks: the customer's and the test's side ----

    /** Adds {@code count} Live tasks on events starting at {@code start}; returns their ids. */
    public synchronized List<Long> addLiveTasks(int count, Instant start, Duration duration) {
        // Kaltura's times are whole Unix seconds: the slot the vendor reads is the slot the sandbox judges by
        start = start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        duration = Duration.ofSeconds(duration.toSeconds());
        List<Long> ids = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) {
            String entryId = String.format(Locale.ROOT, "1_sbx%05d", nextEntry++);
            Instant end = start.plus(duration);
            SandboxEvent event = new SandboxEvent(nextEventId++, name, entryId, start, end,
                    OrderedSlot.forEvent(start, end, config.startTimeBuffer(), config.endTimeBuffer()), now);
            SandboxTask task = new SandboxTask(nextTaskId++, entryId, CATALOG_ITEM_ID, event, now);
            event.task = task;
            task.accessKey = grant(task, now);
            events.put(event.id, event);
            tasks.put(task.id, task);
            ids.add(task.id);
        }
        return ids;
    }

    /**
     * Adds {@code count} PENDING machine caption tasks for VOD entries: another workflow's tasks, which a Live
     * vendor sees in {@code getJobs} and must leave alone.
     */
    public synchronized List<Long> addForeignTasks(int count) {
        List<Long> ids = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) {
            String entryId = String.format(Locale.ROOT, "0_vod%05d", nextEntry++);
            SandboxTask task = new SandboxTask(nextTaskId++, entryId, CATALOG_ITEM_ID + 1, null, now);
            task.accessKey = grant(task, now);
            tasks.put(task.id, task);
            ids.add(task.id);
        }
        return ids;
    }

    /** Adds {@code count} PENDING Live tasks for events a day ahead: material for paging. */
    public List<Long> addPendingTasks(int count) {
        return addLiveTasks(count, clock.instant().plus(Duration.ofDays(1)), Duration.ofHours(1));
    }

    /** The customer cancels: the task disappears ({@code get} answers ENTRY_VENDOR_TASK_NOT_FOUND). */
    public void cancel(long taskId) {
        SandboxEvent event;
        synchronized (this) {
            SandboxTask task = tasks.get(taskId);
            if (task == null || task.cancelled) {
                throw new IllegalArgumentException("no task " + taskId + " in region " + name);
            }
            Instant now = clock.instant();
            task.cancelled = true;
            task.updatedAt = now;
            boolean refunded = task.foreign
                    || now.isBefore(task.event.slot.refundDeadline(config.minimalRefundTime()));
            task.history.add(new SandboxTask.Change("CANCELLED", now, "partner", refunded
                    ? "cancelled before the refund deadline"
                    : "cancelled after the refund deadline (minimalRefundTime " + config.minimalRefundTime().toSeconds()
                    + " s before the slot): the customer pays"));
            event = task.event;
        }
        if (event != null) {
            onCancel.accept(event);
        }
    }

    /** The task's current access key expires now: calls with it answer the expired-KS error. */
    public void expireAccessKey(long taskId) {
        setAccessKeyExpiry(taskId, clock.instant());
    }

    public synchronized void setAccessKeyExpiry(long taskId, Instant at) {
        SandboxTask task = task(taskId);
        grants.get(task.accessKey).expiresAt()[0] = at;
    }

    /** The next {@code extendAccessKey} on this task answers FAILED_EXTEND_ACCESS_KEY. */
    public synchronized void failNextExtend(long taskId) {
        failExtends(taskId, 1);
    }

    /** The next {@code times} {@code extendAccessKey} calls on this task answer FAILED_EXTEND_ACCESS_KEY. */
    public synchronized void failExtends(long taskId, int times) {
        task(taskId).failExtends = times;
    }

    /**
     * A captionUrl fault: while on, the task's caption websocket refuses every connection (close 1008, as Kaltura
     * does for a token it will not take) and counts it; not a violation, since the vendor did nothing wrong.
     */
    public synchronized void refuseCaptionConnections(long taskId, boolean refuse) {
        task(taskId).refuseCaptions = refuse;
    }

    /** How many caption connections the refuse fault closed. */
    public synchronized int captionConnectionsRefused(long taskId) {
        return task(taskId).captionsRefused;
    }

    synchronized boolean refusesCaptions(SandboxTask task) {
        if (task.refuseCaptions) {
            task.captionsRefused++;
        }
        return task.refuseCaptions;
    }

    /** Schedules a fault aimed at one action (see {@link ActionFault}). */
    public synchronized void injectFault(ActionFault fault) {
        actionFaults.add(new int[] {fault.times()});
        actionFaultList.add(fault);
    }

    /** How many calls the faults aimed at {@code action} have hit so far. */
    public synchronized int faultsServed(String action) {
        return actionFaultsServed.getOrDefault(action.toLowerCase(Locale.ROOT), 0);
    }

    /** What becomes of the caption assets of {@code taskId} (null: of every task without its own) after setContent. */
    public synchronized void setAssetProcessing(Long taskId, AssetProcessing processing) {
        if (taskId == null) {
            defaultProcessing = processing;
        } else {
            processingByTask.put(taskId, processing);
        }
    }

    /** Every updateJob carried out for the task, repeats included, as {@code STATUS} or {@code -} (no status). */
    public synchronized List<String> updateJobCalls(long taskId, boolean answeredOnly) {
        return task(taskId).updateCalls.stream().filter(c -> !answeredOnly || c.answered())
                .map(c -> c.status() == null ? "-" : c.status()).toList();
    }

    /** The caption assets added to the task's entry: id, status, whether filled, partnerData. */
    public synchronized List<String> captionAssets(long taskId) {
        SandboxTask task = task(taskId);
        Instant now = clock.instant();
        return assets.values().stream().filter(a -> a.entryId.equals(task.entryId))
                .map(a -> a.id + " status " + a.statusAt(now) + (a.content == null ? " empty" : " filled")
                        + " partnerData " + a.partnerData).toList();
    }

    /** The catalog item's {@code enableSpeakerId} from now on (off by default). */
    public synchronized void enableSpeakerId(boolean on) {
        this.enableSpeakerId = on;
    }

    /** The content of the task's filled caption assets, in the order they were added. */
    public synchronized List<String> captionAssetContents(long taskId) {
        SandboxTask task = task(taskId);
        return assets.values().stream().filter(a -> a.entryId.equals(task.entryId) && a.content != null)
                .map(a -> a.content).toList();
    }

    public synchronized List<Long> taskIds() {
        return List.copyOf(tasks.keySet());
    }

    /** The ids of the tasks not cancelled that have {@code status}. */
    public synchronized List<Long> taskIds(TaskStatus status) {
        return tasks.values().stream().filter(t -> !t.cancelled && t.status == status).map(t -> t.id).toList();
    }

    /** The task's status, or empty if it was cancelled. */
    public synchronized Optional<TaskStatus> status(long taskId) {
        SandboxTask task = task(taskId);
        return task.cancelled ? Optional.empty() : Optional.of(task.status);
    }

    /** The statuses the task took, in order (PENDING first; CANCELLED if the customer cancelled). */
    public synchronized List<String> statusHistory(long taskId) {
        return task(taskId).history.stream().map(SandboxTask.Change::status).toList();
    }

    public synchronized List<String> violations(long taskId) {
        return task(taskId).violations.stream().map(SandboxTask.Note::text).toList();
    }

    public synchronized List<String> warnings(long taskId) {
        return task(taskId).warnings.stream().map(SandboxTask.Note::text).toList();
    }

    /** Violations not tied to one task (unknown KS...). */
    public synchronized List<String> violations() {
        return violations.stream().map(SandboxTask.Note::text).toList();
    }

    public synchronized int captionAssetCount(String entryId) {
        return (int) assets.values().stream().filter(a -> a.entryId.equals(entryId)).count();
    }

    public synchronized String entryId(long taskId) {
        return task(taskId).entryId;
    }

    /** How many calls of {@code service.action} arrived (faults included). */
    public synchronized int calls(String serviceAction) {
        return calls.getOrDefault(serviceAction.toLowerCase(Locale.ROOT), 0);
    }

    /** One caption message the task's captionUrl received (eos and malformed ones left out). */
    public record ReceivedCaption(long seq, boolean isFinal, String text, Instant receivedAt) {
    }

    /** The caption messages the task's captionUrl received, in arrival order, repeats included. */
    public List<ReceivedCaption> receivedCaptions(long taskId) {
        CaptionLog log;
        synchronized (this) {
            log = task(taskId).captions;
        }
        return log.messages().stream().filter(m -> m.seq() != null && !"eos".equals(m.type()))
                .map(m -> new ReceivedCaption(m.seq(), m.isFinal(), m.text(), m.receivedAt())).toList();
    }

    /** Waits until the task's caption websocket has received {@code count} messages. */
    public boolean awaitCaptions(long taskId, int count, Duration timeout) throws InterruptedException {
        CaptionLog log;
        synchronized (this) {
            log = task(taskId).captions;
        }
        return log.await(count, timeout);
    }

    // ---- what the websockets need ----

    synchronized List<SandboxEvent> events() {
        return List.copyOf(events.values());
    }

    synchronized Optional<SandboxEvent> event(long eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    synchronized void noteViolation(SandboxTask task, String text) {
        task.violation(clock.instant(), text);
    }

    synchronized boolean isCancelled(SandboxTask task) {
        return task.cancelled;
    }

    synchronized void captionArrived(SandboxTask task, Instant at, Instant audioAt) {
        task.captionArrived(at, audioAt);
    }

    /** The aimed fault this call meets, if any, counted as served. */
    synchronized Optional<ActionFault.Kind> actionFault(String service, String action, JsonNode request) {
        String serviceAction = (service + "." + action).toLowerCase(Locale.ROOT);
        Matcher matcher = CLIENT_TAG.matcher(request.path("clientTag").asText(""));
        Long taskId = matcher.matches() && matcher.group(2) != null ? Long.valueOf(matcher.group(2)) : null;
        for (int i = 0; i < actionFaultList.size(); i++) {
            ActionFault fault = actionFaultList.get(i);
            if (actionFaults.get(i)[0] > 0 && fault.matches(serviceAction, taskId)) {
                actionFaults.get(i)[0]--;
                actionFaultsServed.merge(serviceAction, 1, Integer::sum);
                return Optional.of(fault.kind());
            }
        }
        return Optional.empty();
    }

    // ---- the API ----

    /** Counts the call and checks its clientTag; the caller then runs the action. */
    synchronized void arrived(String service, String action, JsonNode request) {
        calls.merge((service + "." + action).toLowerCase(Locale.ROOT), 1, Integer::sum);
        String tag = request.path("clientTag").asText("");
        Matcher matcher = CLIENT_TAG.matcher(tag);
        if (!matcher.matches()) {
            warnings.add("clientTag \"" + tag + "\" does not follow app:<version>_<vendorName>_<vendorPartnerId>");
            return;
        }
        if (Long.parseLong(matcher.group(1)) != config.vendorPartnerId()) {
            warnings.add("clientTag \"" + tag + "\" names partner " + matcher.group(1) + ", the vendor partner is "
                    + config.vendorPartnerId());
        }
        boolean aboutOneTask = !action.equalsIgnoreCase("getJobs") && !service.equalsIgnoreCase("reach_vendorcatalogitem");
        if (aboutOneTask && matcher.group(2) == null) {
            warnings.add(service + "." + action + " is about one task but its clientTag has no _task-<id>");
        }
    }

    /** Runs the action; {@code answerLost} when the vendor will not hear the answer (a fault after the work). */
    JsonNode handle(String service, String action, JsonNode request, boolean answerLost) throws ApiError {
        String ks = request.path("ks").asText("");
        switch (service.toLowerCase(Locale.ROOT)) {
            case "reach_entryvendortask" -> {
                switch (action.toLowerCase(Locale.ROOT)) {
                    case "getjobs":
                        return getJobs(ks, request);
                    case "get":
                        return getTask(ks, longParam(request, "id"));
                    case "updatejob":
                        return updateJob(ks, longParam(request, "id"), request.path("entryVendorTask"), answerLost);
                    case "extendaccesskey":
                        return extendAccessKey(ks, longParam(request, "id"));
                    default:
                        throw ApiError.actionDoesNotExist(action, service);
                }
            }
            case "reach_vendorcatalogitem" -> {
                if (!action.equalsIgnoreCase("get")) {
                    throw ApiError.actionDoesNotExist(action, service);
                }
                return catalogItem(ks, longParam(request, "id"));
            }
            case "schedule_scheduleevent" -> {
                if (!action.equalsIgnoreCase("get")) {
                    throw ApiError.actionDoesNotExist(action, service);
                }
                return scheduleEvent(ks, longParam(request, "scheduleEventId"));
            }
            case "caption_captionasset" -> {
                switch (action.toLowerCase(Locale.ROOT)) {
                    case "add":
                        return addCaptionAsset(ks, textParam(request, "entryId"), request.path("captionAsset"));
                    case "setcontent":
                        return setCaptionContent(ks, textParam(request, "id"), request.path("contentResource"));
                    case "get":
                        return captionAsset(ks, textParam(request, "id"));
                    case "list":
                        return listCaptionAssets(ks, request.path("filter"));
                    default:
                        throw ApiError.actionDoesNotExist(action, service);
                }
            }
            default -> throw ApiError.serviceDoesNotExist(service);
        }
    }

    private synchronized JsonNode getJobs(String ks, JsonNode request) throws ApiError {
        requireVendorKs(ks, "reach_entryvendortask", "getJobs");
        JsonNode filter = request.path("filter");
        List<TaskStatus> statuses = new ArrayList<>();
        String asked = filter.hasNonNull("statusEqual") ? filter.get("statusEqual").asText()
                : filter.hasNonNull("statusIn") ? filter.get("statusIn").asText() : "";
        for (String code : asked.split(",")) {
            if (!code.isBlank()) {
                statuses.add(code.strip().equals("1") ? TaskStatus.PENDING
                        : code.strip().equals("9") ? TaskStatus.SCHEDULED : null);
            }
        }
        if (statuses.isEmpty() || statuses.contains(null)) {
            if (!asked.isEmpty()) {
                warnings.add("getJobs asked for statuses \"" + asked + "\": the server accepts only 1 and 9 and"
                        + " lists PENDING instead");
            }
            statuses = List.of(TaskStatus.PENDING);
        }
        if (!"reach_vendor".equals(request.path("responseProfile").path("systemName").asText())) {
            warnings.add("getJobs without the responseProfile {systemName: reach_vendor}");
        }
        List<TaskStatus> wanted = statuses;
        List<SandboxTask> matching = new ArrayList<>(tasks.values().stream()
                .filter(t -> !t.cancelled && wanted.contains(t.status)).toList());
        String orderBy = filter.path("orderBy").asText("+id");
        Comparator<SandboxTask> order = switch (orderBy) {
            case "-id" -> Comparator.comparingLong((SandboxTask t) -> t.id).reversed();
            case "+createdAt" -> Comparator.comparing((SandboxTask t) -> t.createdAt.getEpochSecond())
                    .thenComparingLong(t -> t.id);
            case "-createdAt" -> Comparator.comparing((SandboxTask t) -> t.createdAt.getEpochSecond()).reversed()
                    .thenComparingLong(t -> t.id);
            default -> Comparator.comparingLong((SandboxTask t) -> t.id);
        };
        matching.sort(order);
        JsonNode pager = request.path("pager");
        int pageSize = pager.path("pageSize").asInt(DEFAULT_PAGE_SIZE);
        if (pageSize > MAX_PAGE_SIZE) {
            warnings.add("getJobs pageSize " + pageSize + " is above the maximum " + MAX_PAGE_SIZE
                    + ": the server returns " + MAX_PAGE_SIZE);
            pageSize = MAX_PAGE_SIZE;
        }
        pageSize = Math.max(pageSize, 0);
        int pageIndex = Math.max(pager.path("pageIndex").asInt(1), 1);
        long from = (long) (pageIndex - 1) * pageSize;
        ObjectNode answer = Sandbox.JSON.createObjectNode();
        ArrayNode objects = answer.putArray("objects");
        for (long i = from; i < Math.min(matching.size(), from + pageSize); i++) {
            objects.add(taskJson(matching.get((int) i)));
        }
        answer.put("totalCount", matching.size());
        answer.put("objectType", "KalturaEntryVendorTaskListResponse");
        return answer;
    }

    private synchronized JsonNode getTask(String ks, long id) throws ApiError {
        requireAccessKey(ks, "reach_entryvendortask", "get", () -> ApiError.taskNotFound(id));
        SandboxTask task = tasks.get(id);
        if (task == null || task.cancelled) {
            throw ApiError.taskNotFound(id);
        }
        return taskJson(task);
    }

    private synchronized JsonNode updateJob(String ks, long id, JsonNode fields, boolean answerLost)
            throws ApiError {
        requireVendorKs(ks, "reach_entryvendortask", "updateJob");
        Instant now = clock.instant();
        SandboxTask task = tasks.get(id);
        if (task == null) {
            throw ApiError.taskNotFound(id);
        }
        if (task.cancelled) {
            task.violation(now, "updateJob after the customer cancelled the task: ENTRY_VENDOR_TASK_NOT_FOUND");
            throw ApiError.taskNotFound(id);
        }
        task.updateCalls.add(new SandboxTask.UpdateCall(now, fields.hasNonNull("status")
                ? statusName(fields.get("status").asText()) : null, !answerLost));
        TaskStatus next = null;
        if (fields.hasNonNull("status")) {
            String raw = fields.get("status").asText();
            try {
                next = TaskStatus.of(Integer.parseInt(raw));
            } catch (IllegalArgumentException e) {
                task.violation(now, "updateJob with status \"" + raw + "\", not an EntryVendorTaskStatus");
                throw ApiError.invalidEnum(raw, "status", "KalturaEntryVendorTaskStatus");
            }
            if (next != task.status && task.status.isFinal()) {
                task.violation(now, "updateJob " + task.status + " -> " + next + ": the task is in a final status");
                throw ApiError.finalStatus(id, task.status.code(), next.code());
            }
        }
        if (fields.hasNonNull("accuracy")) {
            int accuracy = fields.get("accuracy").asInt();
            if (accuracy < 0 || accuracy > 100) {
                task.warning(now, "accuracy " + accuracy + " is outside 0-100");
            }
            task.accuracy = accuracy;
        }
        if (fields.hasNonNull("outputObjectId")) {
            task.outputObjectId = fields.get("outputObjectId").asText();
        }
        if (fields.hasNonNull("errDescription")) {
            task.errDescription = fields.get("errDescription").asText();
        }
        if (fields.hasNonNull("externalTaskId")) {
            task.externalTaskId = fields.get("externalTaskId").asText();
        }
        task.updatedAt = now;
        if (next != null && next != task.status) {
            judgeTransition(task, task.status, next, now);
            task.status = next;
            task.history.add(new SandboxTask.Change(next.name(), now, "vendor", null));
            if (next == TaskStatus.READY || next == TaskStatus.ERROR) {
                task.finishTime = now;
            }
        }
        return taskJson(task);
    }

    /** What the FAQ's Live lifecycle expects of a vendor's transition; the server itself accepts all of these. */
    private void judgeTransition(SandboxTask task, TaskStatus from, TaskStatus to, Instant now) {
        switch (to) {
            case SCHEDULED -> {
                if (from != TaskStatus.PENDING) {
                    task.warning(now, from + " -> SCHEDULED: a Live task is scheduled once, from PENDING");
                }
            }
            case PROCESSING -> {
                if (from == TaskStatus.PENDING) {
                    task.warning(now, "PENDING -> PROCESSING: a Live task goes to SCHEDULED first");
                }
                if (now.isBefore(task.startDate().minus(PROCESSING_GRACE))) {
                    task.warning(now, "PROCESSING " + Duration.between(now, task.startDate()).toSeconds()
                            + " s before the ordered slot starts at " + task.startDate());
                }
                if (now.isAfter(task.endDate())) {
                    task.warning(now, "PROCESSING after the ordered slot ended at " + task.endDate());
                }
            }
            case READY -> {
                if (from != TaskStatus.PROCESSING) {
                    task.warning(now, from + " -> READY without PROCESSING");
                }
                if (task.accuracy == null) {
                    task.warning(now, "READY without accuracy");
                }
                if (task.outputObjectId == null) {
                    task.warning(now, "READY without outputObjectId (the delivered caption asset)");
                } else {
                    SandboxAsset asset = assets.get(task.outputObjectId);
                    if (asset == null || !asset.entryId.equals(task.entryId)) {
                        task.warning(now, "outputObjectId " + task.outputObjectId + " is not a caption asset of entry "
                                + task.entryId);
                    } else if (asset.content == null) {
                        task.violation(now, "READY but caption asset " + asset.id + " has no content");
                    } else if (asset.statusAt(now) != 2) {
                        // the FAQ: verify the delivered asset, proceed when READY (2), report an error on ERROR (-1)
                        task.violation(now, "READY before caption asset " + asset.id + " was ready (its status is "
                                + asset.statusAt(now) + ", not READY (2))");
                    } else if (!asset.check.valid()) {
                        task.warning(now, "READY with caption asset " + asset.id + " that fails validation: "
                                + asset.check.errors().get(0));
                    }
                }
            }
            case ERROR -> {
                if (task.errDescription == null || task.errDescription.isBlank()) {
                    task.warning(now, "ERROR without errDescription");
                }
            }
            default -> task.warning(now, from + " -> " + to + ": not a status a vendor sets");
        }
    }

    private synchronized JsonNode extendAccessKey(String ks, long id) throws ApiError {
        requireVendorKs(ks, "reach_entryvendortask", "extendAccessKey");
        Instant now = clock.instant();
        SandboxTask task = tasks.get(id);
        if (task == null || task.cancelled) {
            throw ApiError.taskNotFound(id);
        }
        if (task.status != TaskStatus.PROCESSING) {
            task.violation(now, "extendAccessKey while " + task.status + ": only a PROCESSING task's key is extended");
            throw ApiError.cannotExtendAccessKey();
        }
        if (task.failExtends > 0) {
            task.failExtends--;
            throw ApiError.failedExtendAccessKey();
        }
        task.accessKey = grant(task, now);
        task.updatedAt = now;
        return taskJson(task);
    }

    private synchronized JsonNode catalogItem(String ks, long id) throws ApiError {
        requireVendorKs(ks, "reach_vendorcatalogitem", "get");
        if (id != CATALOG_ITEM_ID) {
            throw ApiError.catalogItemNotFound(id);
        }
        ObjectNode item = Sandbox.JSON.createObjectNode();
        item.put("id", CATALOG_ITEM_ID);
        item.put("vendorPartnerId", config.vendorPartnerId());
        item.put("name", "Live captions, machine, " + config.sourceLanguage());
        item.put("systemName", "SANDBOX_LIVE_CAPTION_MACHINE");
        item.put("createdAt", createdAt.getEpochSecond());
        item.put("updatedAt", createdAt.getEpochSecond());
        item.put("status", 2);
        item.put("serviceType", ServiceType.MACHINE.code());
        item.put("serviceFeature", ServiceFeature.LIVE_CAPTION.code());
        item.put("turnAroundTime", 0);
        item.put("sourceLanguage", config.sourceLanguage());
        item.put("allowResubmission", false);
        item.put("payPerUse", false);
        item.put("outputFormat", config.outputFormat().code());
        item.put("enableSpeakerId", enableSpeakerId ? 1 : 0);
        item.put("minimalRefundTime", config.minimalRefundTime().toSeconds());
        item.put("minimalOrderTime", config.minimalOrderTime().toMinutes());
        item.put("durationLimit", config.durationLimit().toMinutes());
        item.put("startTimeBuffer", config.startTimeBuffer().toSeconds());
        item.put("endTimeBuffer", config.endTimeBuffer().toSeconds());
        item.put("objectType", "KalturaVendorLiveCaptionCatalogItem");
        return item;
    }

    private synchronized JsonNode scheduleEvent(String ks, long id) throws ApiError {
        requireAccessKey(ks, "schedule_scheduleevent", "get", () -> ApiError.invalidObjectId(String.valueOf(id)));
        SandboxEvent event = events.get(id);
        if (event == null) {
            throw ApiError.invalidObjectId(String.valueOf(id));
        }
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("id", event.id);
        json.put("partnerId", config.customerPartnerId());
        json.put("summary", "Sandbox live event " + event.id);
        json.put("status", 2);
        json.put("startDate", event.start.getEpochSecond());
        json.put("endDate", event.end.getEpochSecond());
        json.put("duration", Duration.between(event.start, event.end).toSeconds());
        json.put("recurrenceType", 0);
        json.put("createdAt", event.createdAt.getEpochSecond());
        json.put("updatedAt", event.createdAt.getEpochSecond());
        json.put("templateEntryId", event.entryId);
        json.put("preStartTime", 0);
        json.put("postEndTime", 0);
        ObjectNode feature = json.putArray("liveFeatures").addObject();
        feature.put("systemName", "SANDBOX_CAPTIONS");
        feature.put("preStartTime", config.startTimeBuffer().toSeconds());
        feature.put("postEndTime", config.endTimeBuffer().toSeconds());
        feature.put("mediaUrl", socketBase + "/media/" + name + "/" + event.id);
        feature.put("mediaKey", event.mediaKey.reveal());
        feature.put("captionUrl", socketBase + "/captions/" + name + "/" + event.id);
        feature.put("captionToken", event.captionToken.reveal());
        feature.put("inputDelay", 0);
        feature.put("captionFormat", "json");
        feature.put("language", "eng");
        feature.put("objectType", "KalturaLiveCaptionFeature");
        json.put("objectType", "KalturaLiveStreamScheduleEvent");
        return json;
    }

    private synchronized JsonNode addCaptionAsset(String ks, String entryId, JsonNode fields) throws ApiError {
        Grant grant = requireAccessKey(ks, "caption_captionasset", "add", () -> ApiError.entryNotFound(entryId));
        Instant now = clock.instant();
        SandboxTask task = tasks.get(grant.taskId());
        if (tasks.values().stream().noneMatch(t -> t.entryId.equals(entryId))) {
            throw ApiError.entryNotFound(entryId);
        }
        if (!grant.entryId().equals(entryId)) {
            task.violation(now, "caption asset added to entry " + entryId + " with the access key of entry "
                    + grant.entryId());
            throw ApiError.serviceForbidden("caption_captionasset");
        }
        if (task.cancelled) {
            task.warning(now, "caption asset added after the customer cancelled the task");
        }
        SandboxAsset asset = new SandboxAsset(String.format(Locale.ROOT, "1_cap%05d", nextAsset++), entryId,
                task.id, now);
        asset.rawFormat = fields.path("format").asText(null);
        asset.format = outputFormat(asset.rawFormat);
        if (asset.rawFormat == null) {
            task.warning(now, "caption asset added without a format");
        } else if (asset.format == null) {
            task.warning(now, "caption asset format \"" + asset.rawFormat + "\" is not SRT (1), DFXP (2) or VTT (3)");
        } else if (asset.format != config.outputFormat()) {
            task.warning(now, "caption asset format " + asset.format + " differs from the catalog item's outputFormat "
                    + config.outputFormat());
        }
        asset.language = fields.path("language").asText(null);
        asset.label = fields.path("label").asText(null);
        asset.accuracy = fields.hasNonNull("accuracy") ? fields.get("accuracy").asInt() : null;
        asset.partnerData = fields.path("partnerData").asText(null);
        asset.fileExt = fields.path("fileExt").asText(asset.format == null ? null : asset.format.fileExtension());
        asset.status = 0;
        assets.put(asset.id, asset);
        return assetJson(asset);
    }

    private JsonNode setCaptionContent(String ks, String id, JsonNode resource) throws ApiError {
        String type = resource.path("objectType").asText("");
        String content;
        if (type.equals("KalturaStringResource")) {
            content = resource.path("content").asText("");
        } else if (type.equals("KalturaUrlResource")) {
            // fetched outside the region's lock: a slow URL must not stall the other tasks
            content = UrlContent.fetch(resource.path("url").asText("")).orElse(null);
        } else {
            throw ApiError.resourceTypeNotSupported(type.isEmpty() ? "(none)" : type);
        }
        return storeContent(ks, id, content);
    }

    private synchronized JsonNode storeContent(String ks, String id, String content) throws ApiError {
        Grant grant = requireAccessKey(ks, "caption_captionasset", "setContent", () -> ApiError.captionAssetNotFound(id));
        Instant now = clock.instant();
        SandboxAsset asset = assets.get(id);
        if (asset == null) {
            throw ApiError.captionAssetNotFound(id);
        }
        SandboxTask task = tasks.get(grant.taskId());
        if (!asset.entryId.equals(grant.entryId())) {
            task.violation(now, "setContent on caption asset " + id + " of another entry");
            throw ApiError.serviceForbidden("caption_captionasset");
        }
        asset.updatedAt = now;
        if (content == null) {
            // as Kaltura's import does when the URL cannot be fetched
            asset.status = -1;
            task.warning(now, "caption asset " + id + ": the content URL could not be fetched");
            return assetJson(asset);
        }
        asset.content = content;
        AssetProcessing processing = processingByTask.getOrDefault(task.id, defaultProcessing);
        asset.status = 0;
        asset.outcome = processing.fails() ? -1 : 2;
        asset.settlesAt = now.plus(processing.queued());
        asset.statusAt(now);
        asset.check = SubtitleValidator.check(asset.format == null ? config.outputFormat() : asset.format, content, SubtitleValidator.Rules.PARTNER);
        if (!asset.check.valid()) {
            task.warning(now, "caption asset " + id + " content fails validation: " + asset.check.errors().get(0));
        }
        return assetJson(asset);
    }

    private synchronized JsonNode captionAsset(String ks, String id) throws ApiError {
        requireAccessKey(ks, "caption_captionasset", "get", () -> ApiError.captionAssetNotFound(id));
        SandboxAsset asset = assets.get(id);
        if (asset == null) {
            throw ApiError.captionAssetNotFound(id);
        }
        return assetJson(asset);
    }

    /**
     * Refused as Kaltura refuses it: the vendor FAQ says "It is not possible to list captionAssets, it is restricted
     * for security reasons", and the server answers SERVICE_FORBIDDEN.
     */
    private synchronized JsonNode listCaptionAssets(String ks, JsonNode filter) throws ApiError {
        Grant grant = requireAccessKey(ks, "caption_captionasset", "list",
                () -> ApiError.serviceForbidden("caption_captionasset"));
        SandboxTask task = tasks.get(grant.taskId());
        task.violation(clock.instant(), "caption_captionasset.list: Kaltura forbids listing caption assets"
                + " (SERVICE_FORBIDDEN); a vendor remembers the ids of the assets it adds");
        throw ApiError.serviceForbidden("caption_captionasset");
    }

    // ---- credentials ----

    private Secret grant(SandboxTask task, Instant now) {
        Secret key = Secret.of(Sandbox.newKs());
        grants.put(key, new Grant(task.id, task.entryId, now, new Instant[] {now.plus(config.accessKeyLifetime())}));
        return key;
    }

    private void requireVendorKs(String ks, String service, String action) throws ApiError {
        if (ks.isBlank()) {
            throw ApiError.missingKs();
        }
        Secret presented = Secret.of(ks);
        if (presented.equals(vendorKs)) {
            return;
        }
        Grant grant = grants.get(presented);
        if (grant != null) {
            SandboxTask task = tasks.get(grant.taskId());
            task.violation(clock.instant(), service + "." + action + " with the task's access key: this action"
                    + " takes the vendor KS");
            throw ApiError.serviceForbidden(service);
        }
        violations.add(new SandboxTask.Note(clock.instant(), service + "." + action + " with an unknown KS"));
        throw ApiError.invalidKs(ks);
    }

    /** The grant of a task's access key; {@code invisible} is the action's not-found error, used for the vendor KS. */
    private Grant requireAccessKey(String ks, String service, String action, Supplier<ApiError> invisible)
            throws ApiError {
        if (ks.isBlank()) {
            throw ApiError.missingKs();
        }
        Secret presented = Secret.of(ks);
        Instant now = clock.instant();
        if (presented.equals(vendorKs)) {
            violations.add(new SandboxTask.Note(now, service + "." + action + " with the vendor KS: the vendor partner"
                    + " cannot see the customer's objects; use the task's accessKey"));
            ApiError error = invisible.get();
            throw error != null ? error : ApiError.serviceForbidden(service);
        }
        Grant grant = grants.get(presented);
        if (grant == null) {
            violations.add(new SandboxTask.Note(now, service + "." + action + " with an unknown KS"));
            throw ApiError.invalidKs(ks);
        }
        if (grant.expired(now)) {
            throw ApiError.invalidKs("EXPIRED");
        }
        return grant;
    }

    // ---- Kaltura's JSON shapes ----

    private ObjectNode taskJson(SandboxTask task) {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("id", task.id);
        json.put("partnerId", config.customerPartnerId());
        json.put("vendorPartnerId", config.vendorPartnerId());
        json.put("createdAt", task.createdAt.getEpochSecond());
        json.put("updatedAt", task.updatedAt.getEpochSecond());
        json.put("queueTime", task.createdAt.getEpochSecond());
        if (task.finishTime != null) {
            json.put("finishTime", task.finishTime.getEpochSecond());
        }
        json.put("entryId", task.entryId);
        json.put("status", task.status.code());
        json.put("reachProfileId", REACH_PROFILE_ID);
        json.put("catalogItemId", task.catalogItemId);
        json.put("price", 0);
        json.put("userId", "sandbox-customer");
        if (task.errDescription != null) {
            json.put("errDescription", task.errDescription);
        }
        json.put("accessKey", task.accessKey.reveal());
        json.put("version", "0");
        json.put("dictionary", "livecap\nKaltura\nREACH");
        if (task.accuracy != null) {
            json.put("accuracy", task.accuracy);
        }
        if (task.outputObjectId != null) {
            json.put("outputObjectId", task.outputObjectId);
        }
        json.put("creationMode", 1);
        if (task.foreign) {
            json.put("expectedFinishTime", task.createdAt.plus(Duration.ofHours(2)).getEpochSecond());
            json.put("serviceType", ServiceType.MACHINE.code());
            json.put("serviceFeature", ServiceFeature.CAPTIONS.code());
            json.put("turnAroundTime", 7200);
            json.put("objectType", "KalturaEntryVendorTask");
            return json;
        }
        ObjectNode data = json.putObject("taskJobData");
        data.put("entryDuration", Duration.between(task.startDate(), task.endDate()).toMillis());
        data.put("startDate", task.startDate().getEpochSecond());
        data.put("endDate", task.endDate().getEpochSecond());
        data.put("scheduledEventId", task.event.id);
        data.put("objectType", "KalturaScheduledVendorTaskData");
        json.put("expectedFinishTime", task.endDate().getEpochSecond());
        json.put("serviceType", ServiceType.MACHINE.code());
        json.put("serviceFeature", ServiceFeature.LIVE_CAPTION.code());
        json.put("turnAroundTime", 0);
        if (task.externalTaskId != null) {
            json.put("externalTaskId", task.externalTaskId);
        }
        json.put("objectType", "KalturaEntryVendorTask");
        return json;
    }

    private ObjectNode assetJson(SandboxAsset asset) {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("id", asset.id);
        json.put("entryId", asset.entryId);
        json.put("partnerId", config.customerPartnerId());
        json.put("version", asset.content == null ? 0 : 1);
        if (asset.content != null) {
            json.put("size", asset.content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        if (asset.fileExt != null) {
            json.put("fileExt", asset.fileExt);
        }
        json.put("createdAt", asset.createdAt.getEpochSecond());
        json.put("updatedAt", asset.updatedAt.getEpochSecond());
        if (asset.partnerData != null) {
            json.put("partnerData", asset.partnerData);
        }
        if (asset.language != null) {
            json.put("language", asset.language);
        }
        json.put("isDefault", 0);
        if (asset.label != null) {
            json.put("label", asset.label);
        }
        if (asset.rawFormat != null) {
            json.put("format", asset.rawFormat);
        }
        json.put("status", asset.statusAt(clock.instant()));
        if (asset.accuracy != null) {
            json.put("accuracy", asset.accuracy);
        }
        json.put("usage", "0");
        json.put("objectType", "KalturaCaptionAsset");
        return json;
    }

    private static String statusName(String raw) {
        try {
            return TaskStatus.of(Integer.parseInt(raw.strip())).name();
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static OutputFormat outputFormat(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return OutputFormat.of(Integer.parseInt(raw.strip()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long longParam(JsonNode request, String name) throws ApiError {
        JsonNode value = request.get(name);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw ApiError.missingParameter(name);
        }
        try {
            return Long.parseLong(value.asText().strip());
        } catch (NumberFormatException e) {
            throw ApiError.invalidObjectId(value.asText());
        }
    }

    private static String textParam(JsonNode request, String name) throws ApiError {
        JsonNode value = request.get(name);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw ApiError.missingParameter(name);
        }
        return value.asText();
    }

    private SandboxTask task(long taskId) {
        SandboxTask task = tasks.get(taskId);
        if (task == null) {
            throw new IllegalArgumentException("no task " + taskId + " in region " + name);
        }
        return task;
    }

    // ---- the report ----

    synchronized ObjectNode report() {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("region", name);
        json.put("serviceUrl", serviceUrl.toString());
        json.put("vendorPartnerId", config.vendorPartnerId());
        ObjectNode callCounts = json.putObject("calls");
        calls.forEach(callCounts::put);
        ArrayNode regionViolations = json.putArray("violations");
        violations.forEach(v -> regionViolations.addObject().put("at", v.at().toString()).put("text", v.text()));
        ArrayNode regionWarnings = json.putArray("warnings");
        warnings.forEach(regionWarnings::add);
        ArrayNode taskList = json.putArray("tasks");
        for (SandboxTask task : tasks.values()) {
            taskList.add(SandboxReport.task(task, deliveredAsset(task), clock.instant()));
        }
        return json;
    }

    /** The asset the task named as its output, else the last one it added. */
    private SandboxAsset deliveredAsset(SandboxTask task) {
        if (task.outputObjectId != null && assets.containsKey(task.outputObjectId)) {
            return assets.get(task.outputObjectId);
        }
        SandboxAsset last = null;
        for (SandboxAsset asset : assets.values()) {
            if (asset.addedByTask == task.id) {
                last = asset;
            }
        }
        return last;
    }
}
