package io.livecap.reach;

import java.util.Objects;

/**
 * A task's identity. Kaltura task ids are unique only within one region (US, EU, CA...), so a task is always the
 * pair (region of the endpoint that served it, id).
 */
public record TaskKey(String region, long id) {

    public TaskKey {
        Objects.requireNonNull(region, "region");
    }

    @Override
    public String toString() {
        return region + "/" + id;
    }
}
