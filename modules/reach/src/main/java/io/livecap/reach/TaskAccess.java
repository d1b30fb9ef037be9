package io.livecap.reach;

import java.util.Objects;

/**
 * What the calls made on a task's behalf need: its id and the access key Kaltura issued for it (a KS limited to the
 * task's entry). After {@code extendAccessKey} the task carries a new key: take a fresh {@code access()} from it.
 */
public record TaskAccess(long taskId, Secret accessKey) {

    public TaskAccess {
        Objects.requireNonNull(accessKey, "accessKey");
    }
}
