package io.livecap.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** An answer the fake server gives as Kaltura does: HTTP 200 with a {@code KalturaAPIException}. */
final class ApiError extends Exception {

    private final String code;
    private final Map<String, String> args;

    private ApiError(String code, String message, Map<String, String> args) {
        super(message, null, false, false);
        this.code = code;
        this.args = args;
    }

    String code() {
        return code;
    }

    ObjectNode toJson() {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("code", code);
        json.put("message", getMessage());
        json.put("objectType", "KalturaAPIException");
        ObjectNode argsJson = json.putObject("args");
        args.forEach(argsJson::put);
        return json;
    }

    private static ApiError of(String code, String message, String... namesAndValues) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            args.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new ApiError(code, message, args);
    }

    // the codes and messages of Kaltura's KalturaErrors, KalturaReachErrors and KalturaCaptionErrors

    static ApiError taskNotFound(long id) {
        return of("ENTRY_VENDOR_TASK_NOT_FOUND", "Entry vendor task item with id provided not found [" + id + "]",
                "ID", String.valueOf(id));
    }

    static ApiError cannotExtendAccessKey() {
        return of("CANNOT_EXTEND_ACCESS_KEY", "Extending accessKey for non processing task is not allowed");
    }

    static ApiError failedExtendAccessKey() {
        return of("FAILED_EXTEND_ACCESS_KEY", "Extending accessKey operation failed");
    }

    static ApiError finalStatus(long id, int oldStatus, int newStatus) {
        return of("CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE", "Cannot update status from [" + oldStatus
                        + "] to [" + newStatus + "] for task with id [" + id + "], since task is in final status",
                "ID", String.valueOf(id), "OLD_STATUS", String.valueOf(oldStatus), "NEW_STATUS",
                String.valueOf(newStatus));
    }

    static ApiError missingKs() {
        return of("MISSING_KS", "Missing KS, session not established");
    }

    /** As the front controller reports a failed KS validation: for an expired KS the first argument is EXPIRED. */
    static ApiError invalidKs(String ksId) {
        return of("INVALID_KS", "Invalid KS \"" + ksId + "\", Error \"-1,INVALID_STR\"",
                "KSID", ksId, "ERR_CODE", "-1", "ERR_DESC", "INVALID_STR");
    }

    static ApiError serviceForbidden(String service) {
        return of("SERVICE_FORBIDDEN", "The access to service [" + service + "] is forbidden", "SERVICE", service);
    }

    static ApiError catalogItemNotFound(long id) {
        return of("CATALOG_ITEM_NOT_FOUND", "Catalog item with id provided not found [" + id + "]",
                "ID", String.valueOf(id));
    }

    static ApiError invalidObjectId(String id) {
        return of("INVALID_OBJECT_ID", "Invalid object id [" + id + "]", "ID", id);
    }

    static ApiError captionAssetNotFound(String id) {
        return of("CAPTION_ASSET_ID_NOT_FOUND", "Caption asset id \"" + id + "\" not found", "ASSET_ID", id);
    }

    static ApiError entryNotFound(String id) {
        return of("ENTRY_ID_NOT_FOUND", "Entry id \"" + id + "\" not found", "ENTRY_ID", id);
    }

    static ApiError missingParameter(String name) {
        return of("MISSING_MANDATORY_PARAMETER", "Missing parameter \"" + name + "\"", "PARAM_NAME", name);
    }

    static ApiError invalidEnum(String value, String parameter, String type) {
        return of("INVALID_ENUM_VALUE", "Invalid enumeration value \"" + value + "\" for parameter \"" + parameter
                        + "\", expecting enumeration type \"" + type + "\"",
                "ENUM_VAL", value, "PARAM_NAME", parameter, "ENUM_TYPE", type);
    }

    static ApiError resourceTypeNotSupported(String type) {
        return of("RESOURCE_TYPE_NOT_SUPPORTED", "Resource type \"" + type + "\" not supported", "RES_TYPE", type);
    }

    static ApiError serviceDoesNotExist(String service) {
        return of("SERVICE_DOES_NOT_EXISTS", "Service \"" + service + "\" does not exists", "SRV_NAME", service);
    }

    static ApiError actionDoesNotExist(String action, String service) {
        return of("ACTION_DOES_NOT_EXISTS", "Action \"" + action + "\" does not exists for service \"" + service
                + "\"", "ACTION_NAME", action, "SERVICE_NAME", service);
    }
}
