package io.livecap.session;

import io.livecap.delivery.CaptionStore;
import io.livecap.timing.StreamTimeline;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * How a session continues its stream id's timeline: after its predecessor (which may still be finishing), from the
 * timeline as it stands then, saving how far it took it.
 *
 * @param predecessor the stream's previous session in this process, or null
 * @param timeline    where the timeline stands once the predecessor has finished (read then, not before)
 * @param store       where the session saves the timeline
 * @param clock       when the event ends, by the clock its expiry is judged with
 */
public record TimelineKeeping(StreamSession predecessor, Supplier<StreamTimeline> timeline, CaptionStore store,
                              Clock clock) {
}
