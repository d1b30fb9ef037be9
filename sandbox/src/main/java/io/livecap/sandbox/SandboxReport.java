package io.livecap.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The per-task part of {@code GET /sandbox/report}: status history, the captions received, the delivered caption
 * asset with its check, protocol violations (calls the real server refuses) and warnings (calls it accepts that the
 * Live lifecycle does not expect).
 */
final class SandboxReport {

    private SandboxReport() {
    }

    static ObjectNode task(SandboxTask task, SandboxAsset delivered, java.time.Instant now) {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("id", task.id);
        json.put("entryId", task.entryId);
        json.put("status", task.cancelled ? "CANCELLED" : task.status.name());
        if (task.foreign) {
            json.put("foreign", true);
        } else {
            json.put("scheduledEventId", task.event.id);
            json.put("slotStart", task.startDate().toString());
            json.put("slotEnd", task.endDate().toString());
            json.put("eventStart", task.event.start.toString());
            json.put("eventEnd", task.event.end.toString());
        }
        if (task.accuracy != null) {
            json.put("accuracy", task.accuracy);
        }
        if (task.outputObjectId != null) {
            json.put("outputObjectId", task.outputObjectId);
        }
        if (task.errDescription != null) {
            json.put("errDescription", task.errDescription);
        }
        ArrayNode history = json.putArray("history");
        for (SandboxTask.Change change : task.history) {
            ObjectNode entry = history.addObject();
            entry.put("status", change.status());
            entry.put("at", change.at().toString());
            entry.put("by", change.by());
            if (change.note() != null) {
                entry.put("note", change.note());
            }
        }
        ArrayNode updates = json.putArray("updateJobCalls");
        for (SandboxTask.UpdateCall call : task.updateCalls) {
            ObjectNode entry = updates.addObject();
            entry.put("at", call.at().toString());
            if (call.status() != null) {
                entry.put("status", call.status());
            }
            entry.put("answered", call.answered());
        }
        json.set("captions", task.captions.summary());
        if (delivered == null) {
            json.putNull("captionAsset");
        } else {
            ObjectNode asset = json.putObject("captionAsset");
            asset.put("id", delivered.id);
            asset.put("format", delivered.format == null ? String.valueOf(delivered.rawFormat)
                    : delivered.format.name());
            asset.put("status", delivered.statusAt(now));
            if (delivered.language != null) {
                asset.put("language", delivered.language);
            }
            if (delivered.accuracy != null) {
                asset.put("accuracy", delivered.accuracy);
            }
            if (delivered.content == null) {
                asset.putNull("content");
            } else {
                asset.put("content", delivered.content);
                ObjectNode check = asset.putObject("validation");
                check.put("valid", delivered.check.valid());
                check.put("cues", delivered.check.cues());
                ArrayNode errors = check.putArray("errors");
                delivered.check.errors().forEach(errors::add);
                ArrayNode warnings = check.putArray("warnings");
                delivered.check.warnings().forEach(warnings::add);
            }
        }
        notes(json.putArray("violations"), task.violations);
        notes(json.putArray("warnings"), task.warnings);
        return json;
    }

    private static void notes(ArrayNode array, java.util.List<SandboxTask.Note> notes) {
        for (SandboxTask.Note note : notes) {
            array.addObject().put("at", note.at().toString()).put("text", note.text());
        }
    }
}
