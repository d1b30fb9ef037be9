package io.livecap.sandbox;

import java.util.Locale;
import java.util.Objects;

/**
 * A fault aimed at one action (and, optionally, one task's calls), for the next {@code times} calls that match.
 * {@link Kind#REFUSE}: HTTP 500, not carried out. {@link Kind#UNCERTAIN}: carried out, then answered HTTP 500, as a
 * backend dying after its commit or a proxy timing out does: the vendor cannot tell whether it happened.
 *
 * @param action  {@code service.action}, e.g. {@code caption_captionasset.add}
 * @param taskId  only calls about this task (by the {@code _task-<id>} of their clientTag); null: any task
 */
public record ActionFault(Kind kind, String action, Long taskId, int times) {

    public enum Kind {
        REFUSE,
        UNCERTAIN
    }

    public ActionFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        if (!action.contains(".")) {
            throw new IllegalArgumentException("name the action as service.action, got " + action);
        }
        action = action.toLowerCase(Locale.ROOT);
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
    }

    /** The next {@code caption_captionasset.add} of {@code taskId} makes its asset, then answers HTTP 500. */
    public static ActionFault uncertainAdd(long taskId) {
        return new ActionFault(Kind.UNCERTAIN, "caption_captionasset.add", taskId, 1);
    }

    /** The next {@code times} calls of {@code action} about {@code taskId} answer HTTP 500 and do nothing. */
    public static ActionFault refuse(String action, long taskId, int times) {
        return new ActionFault(Kind.REFUSE, action, taskId, times);
    }

    boolean matches(String serviceAction, Long callTaskId) {
        return action.equals(serviceAction.toLowerCase(Locale.ROOT))
                && (taskId == null || taskId.equals(callTaskId));
    }
}
