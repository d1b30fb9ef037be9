package io.livecap.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what a Live task needs next, from its state and the clock alone; {@link LiveTaskRunner} carries it out.
 * The rules are REACH's (see docs/REACH.md, "The Live task lifecycle"):
 * <ul>
 * <li>a new task goes PENDING -> SCHEDULED at once;</li>
 * <li>when the refund window closes ({@code startDate - minimalRefundTime}) the task is checked for cancellation,
 *     and checked again just before going live;</li>
 * <li>at {@code startDate} (the ordered slot, buffers included: {@link io.livecap.reach.OrderedSlot}) the task
 *     turns PROCESSING and its caption session opens, so no caption ever reaches Kaltura before PROCESSING;</li>
 * <li>captions stop at {@code endDate}; then the transcript is delivered and the task is READY;</li>
 * <li>while PROCESSING the task is looked at every {@code keepAliveEvery}, so an expired access key is extended
 *     before a call that matters needs it.</li>
 * </ul>
 */
public final class LiveTaskStateMachine {

    /** What to do next. */
    public enum Step {
        SCHEDULE, REFUND_CHECK, START_PROCESSING, KEEP_ALIVE, CUT_OFF, DELIVER,
        /** The slot passed while the task never went live (livecap was down the whole event). */
        MISSED,
        NONE
    }

    private final Duration keepAliveEvery;
    private final Duration deliveryGrace;

    /**
     * @param keepAliveEvery how often a PROCESSING task is looked at
     * @param deliveryGrace  how long after the cut-off the task may take to be READY before it counts as stuck
     */
    public LiveTaskStateMachine(Duration keepAliveEvery, Duration deliveryGrace) {
        this.keepAliveEvery = keepAliveEvery;
        this.deliveryGrace = deliveryGrace;
    }

    public Step next(LiveTask task, Instant now, Instant lastLookedAt) {
        return switch (task.state()) {
            case PENDING -> Step.SCHEDULE;
            case SCHEDULED -> {
                if (!now.isBefore(task.cutoffAt())) {
                    yield Step.MISSED;
                }
                if (!task.refundChecked() && !now.isBefore(min(task.refundDeadline(), task.captionsFrom()))) {
                    yield Step.REFUND_CHECK;
                }
                yield now.isBefore(task.captionsFrom()) ? Step.NONE : Step.START_PROCESSING;
            }
            case OPEN -> {
                // a row saved by a version that opened the session before PROCESSING
                if (!now.isBefore(task.cutoffAt())) {
                    yield Step.MISSED;
                }
                yield now.isBefore(task.captionsFrom()) ? Step.NONE : Step.START_PROCESSING;
            }
            case PROCESSING -> {
                if (!now.isBefore(task.cutoffAt())) {
                    yield Step.CUT_OFF;
                }
                yield lastLookedAt == null || !now.isBefore(lastLookedAt.plus(keepAliveEvery))
                        ? Step.KEEP_ALIVE : Step.NONE;
            }
            case DELIVERING -> Step.DELIVER;
            case READY, ERROR, CANCELLED -> Step.NONE;
        };
    }

    /** When the task should be READY by: the cut-off plus the delivery grace. */
    public Instant expectedFinish(LiveTask task) {
        return task.cutoffAt().plus(deliveryGrace);
    }

    /**
     * The turn-around alert now due, if any: "half" when half the time from the start to the expected finish has
     * passed (a live job's checkpoint), "stuck" when the expected finish has passed and the task is not done.
     */
    public Optional<TaskAlert> alertDue(LiveTask task, Instant now) {
        if (task.state().isFinal() || task.state() == LiveTaskState.PENDING) {
            return Optional.empty();
        }
        Instant expected = expectedFinish(task);
        if (!now.isBefore(expected) && !task.alerts().contains(TaskAlert.STUCK)) {
            return Optional.of(TaskAlert.STUCK);
        }
        Instant half = task.startDate().plus(Duration.between(task.startDate(), expected).dividedBy(2));
        if (!now.isBefore(half) && !task.alerts().contains(TaskAlert.HALF) && !task.alerts().contains(TaskAlert.STUCK)) {
            return Optional.of(TaskAlert.HALF);
        }
        return Optional.empty();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
