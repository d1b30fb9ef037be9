package io.livecap.reach;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads Kaltura's JSON objects into the model. Kaltura leaves out null fields, sends times as Unix seconds and
 * dynamic enums (such as a caption asset's format) as strings.
 */
final class WireFormat {

    private WireFormat() {
    }

    static EntryVendorTask task(JsonNode json, String region) {
        long id = required(json, "id").asLong();
        JsonNode data = json.path("taskJobData");
        ScheduledVendorTaskData schedule = "KalturaScheduledVendorTaskData".equals(data.path("objectType").asText())
                ? new ScheduledVendorTaskData(millis(data, "entryDuration"), instant(data, "startDate"),
                instant(data, "endDate"), data.path("scheduledEventId").asLong())
                : null;
        return new EntryVendorTask(
                new TaskKey(region, id),
                json.path("partnerId").asLong(),
                json.path("vendorPartnerId").asLong(),
                text(json, "entryId"),
                TaskStatus.of(required(json, "status").asInt()),
                json.path("catalogItemId").asLong(),
                longOrNull(json, "reachProfileId"),
                code(json, "serviceType", WireFormat::serviceType),
                code(json, "serviceFeature", ServiceFeature::of),
                integer(json, "turnAroundTime"),
                secret(json, "accessKey"),
                schedule,
                instant(json, "createdAt"),
                instant(json, "updatedAt"),
                instant(json, "queueTime"),
                instant(json, "finishTime"),
                instant(json, "expectedFinishTime"),
                json.hasNonNull("price") ? json.get("price").asDouble() : null,
                text(json, "userId"),
                text(json, "errDescription"),
                text(json, "version"),
                text(json, "notes"),
                text(json, "dictionary"),
                text(json, "context"),
                integer(json, "accuracy"),
                text(json, "outputObjectId"),
                text(json, "partnerData"),
                integer(json, "creationMode"),
                text(json, "externalTaskId"));
    }

    static CatalogItem catalogItem(JsonNode json) {
        JsonNode language = json.path("sourceLanguage");
        return new CatalogItem(
                required(json, "id").asLong(),
                text(json, "objectType"),
                text(json, "name"),
                text(json, "systemName"),
                code(json, "serviceType", WireFormat::serviceType),
                code(json, "serviceFeature", ServiceFeature::of),
                integer(json, "turnAroundTime"),
                language.isMissingNode() || language.isNull() ? null : language.asText(),
                code(json, "outputFormat", WireFormat::outputFormat),
                json.hasNonNull("enableSpeakerId") ? nullableBoolean(json.get("enableSpeakerId")) : null,
                json.path("allowResubmission").asBoolean(false),
                seconds(json, "minimalRefundTime"),
                minutes(json, "minimalOrderTime"),
                minutes(json, "durationLimit"),
                seconds(json, "startTimeBuffer"),
                seconds(json, "endTimeBuffer"));
    }

    static ScheduleEvent scheduleEvent(JsonNode json) {
        List<LiveCaptionFeature> features = new ArrayList<>();
        for (JsonNode feature : json.path("liveFeatures")) {
            if ("KalturaLiveCaptionFeature".equals(feature.path("objectType").asText())) {
                features.add(new LiveCaptionFeature(
                        text(feature, "systemName"),
                        seconds(feature, "preStartTime"),
                        seconds(feature, "postEndTime"),
                        uri(feature, "mediaUrl"),
                        secret(feature, "mediaKey"),
                        uri(feature, "captionUrl"),
                        secret(feature, "captionToken"),
                        integer(feature, "inputDelay"),
                        text(feature, "captionFormat"),
                        text(feature, "language")));
            }
        }
        return new ScheduleEvent(
                required(json, "id").asLong(),
                text(json, "objectType"),
                json.path("partnerId").asLong(),
                text(json, "summary"),
                integer(json, "status"),
                instant(json, "startDate"),
                instant(json, "endDate"),
                text(json, "templateEntryId"),
                text(json, "sourceEntryId"),
                seconds(json, "preStartTime"),
                seconds(json, "postEndTime"),
                features);
    }

    static CaptionAsset captionAsset(JsonNode json) {
        return new CaptionAsset(
                required(json, "id").asText(),
                text(json, "entryId"),
                json.path("partnerId").asLong(),
                code(json, "format", WireFormat::outputFormat),
                json.path("status").asInt(CaptionAsset.STATUS_QUEUED),
                text(json, "language"),
                text(json, "label"),
                integer(json, "accuracy"),
                json.hasNonNull("isDefault") ? nullableBoolean(json.get("isDefault")) : null,
                text(json, "fileExt"),
                longOrNull(json, "size"),
                text(json, "partnerData"),
                instant(json, "createdAt"),
                instant(json, "updatedAt"));
    }

    private static JsonNode required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(json.path("objectType").asText("object") + " without " + field);
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asInt();
    }

    private static Long longOrNull(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asLong();
    }

    private static Instant instant(JsonNode json, String field) {
        Long seconds = longOrNull(json, field);
        return seconds == null ? null : Instant.ofEpochSecond(seconds);
    }

    private static Duration seconds(JsonNode json, String field) {
        Long value = longOrNull(json, field);
        return value == null ? null : Duration.ofSeconds(value);
    }

    private static Duration minutes(JsonNode json, String field) {
        Long value = longOrNull(json, field);
        return value == null ? null : Duration.ofMinutes(value);
    }

    private static Duration millis(JsonNode json, String field) {
        Long value = longOrNull(json, field);
        return value == null ? null : Duration.ofMillis(value);
    }

    private static Secret secret(JsonNode json, String field) {
        String value = text(json, field);
        return value == null || value.isBlank() ? null : Secret.of(value);
    }

    private static URI uri(JsonNode json, String field) {
        String value = text(json, field);
        return value == null || value.isBlank() ? null : URI.create(value);
    }

    /** Kaltura's NullableBoolean: -1 null, 0 false, 1 true; plain booleans are accepted too. */
    private static Boolean nullableBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        int code = value.asInt(-1);
        return code < 0 ? null : code == 1;
    }

    /** An enum field whose unknown codes read as null rather than failing the whole object. */
    private static <T> T code(JsonNode json, String field, IntFunction<T> of) {
        Integer code = integer(json, field);
        if (code == null) {
            return null;
        }
        try {
            return of.apply(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ServiceType serviceType(int code) {
        return ServiceType.of(code);
    }

    private static OutputFormat outputFormat(int code) {
        return OutputFormat.of(code);
    }
}
