package io.livecap.server;

import java.util.List;
import java.util.Map;

/**
 * The REACH tasks as the console and {@code GET /v1/tasks} show them, each a JSON object. The node supplies it (the
 * server does not know the lifecycle); a node without REACH shows none.
 */
@FunctionalInterface
public interface TaskBoard {

    TaskBoard NONE = List::of;

    List<Map<String, Object>> tasks();

    /** The answer to {@code POST /v1/tasks/{region}/{id}/retry-delivery}: an HTTP status and its JSON body. */
    record Answer(int status, Map<String, Object> body) {
    }

    /** Restarts a task's push to its captionUrl from the last confirmed seq; a node without REACH has no tasks. */
    default Answer retryDelivery(String region, long id) {
        return new Answer(404, Map.of("error", "no REACH task " + region + "/" + id + " on this node"));
    }
}
