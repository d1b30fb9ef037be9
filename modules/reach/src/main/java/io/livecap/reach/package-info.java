/**
 * Kaltura REACH API v3 as a live-caption vendor speaks it, without Kaltura's client library: {@link
 * io.livecap.reach.ReachClient} (one per region's endpoint), the objects it returns as records, and a typed exception
 * per REACH error the lifecycle acts on.
 * <p>
 * Tasks are keyed by {@link io.livecap.reach.TaskKey} (region, id): Kaltura's ids are unique per region only.
 * Credentials are {@link io.livecap.reach.Secret}s, which print as {@code ***}; API error messages that echo a KS
 * are scrubbed before they reach an exception.
 */
package io.livecap.reach;
