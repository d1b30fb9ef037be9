package io.livecap.reach;

import java.time.Duration;
import java.time.Instant;

/**
 * A Live task's job data ({@code KalturaScheduledVendorTaskData}): the ordered slot. The server already widened it by
 * the catalog item's {@code startTimeBuffer}/{@code endTimeBuffer}, so {@code startDate} may precede the event.
 */
public record ScheduledVendorTaskData(Duration entryDuration, Instant startDate, Instant endDate,
                                      long scheduledEventId) {
}
