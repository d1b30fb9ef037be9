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
}
