package io.livecap.lifecycle;

import io.livecap.reach.TaskKey;

import java.util.List;
import java.util.Optional;

/** Where Live tasks are kept between steps and across restarts. Implementations are thread-safe. */
public interface LiveTaskRepository {

    /** Adds a task first seen; false if it is already known (a later poll sees it again). */
    boolean insert(LiveTask task);

    /** Saves the task's new state; every step ends with this. */
    void save(LiveTask task);

    Optional<LiveTask> find(TaskKey key);

    /** Tasks that are not READY, ERROR or CANCELLED. */
    List<LiveTask> active();

    /** One line in the task's audit trail: a transition, a check, a cancellation, an alert. */
    void audit(TaskKey key, String kind, String detail);

    /** The audit trail, oldest first: kind and detail of each entry. */
    List<String> auditTrail(TaskKey key);
}
