package io.livecap.lifecycle;

import io.livecap.reach.OutputFormat;
import io.livecap.reach.Secret;
import io.livecap.reach.TaskKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static io.livecap.lifecycle.LiveTaskStateMachine.Step.CUT_OFF;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.DELIVER;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.KEEP_ALIVE;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.MISSED;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.NONE;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.REFUND_CHECK;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.SCHEDULE;
import static io.livecap.lifecycle.LiveTaskStateMachine.Step.START_PROCESSING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Live lifecycle's rules, decided from a task and the time alone: every transition, the refund window, the
 * cut-off, and the half-time and stuck alerts, at the instants where they change.
 */
class LiveTaskStateMachineTest {

    /** taskJobData as Kaltura gives it: the event 10:00-11:00 widened by 15 min buffers on each side. */
    private static final Instant START = Instant.parse("2026-12-01T09:45:00Z");
    private static final Instant END = Instant.parse("2026-12-01T11:15:00Z");
    private static final Duration BUFFER = Duration.ofMinutes(15);
    private static final Duration REFUND = Duration.ofHours(1);
    private static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Duration MS = Duration.ofMillis(1);

    private final LiveTaskStateMachine machine = new LiveTaskStateMachine(KEEP_ALIVE_EVERY, GRACE);

    private static LiveTask task(LiveTaskState state) {
        return new LiveTask(new TaskKey("us", 1000), "1_entry", 2_000_001, 101, 5001, START, END, REFUND, BUFFER,
                BUFFER, OutputFormat.SRT, "en-US", null, Secret.of("djJ8key"), state, false, null, null, null,
                Set.of(), AssetDelivery.NONE);
    }

    @Test
    void aNewTaskIsScheduledAtOnceWhateverTheTime() {
        for (Instant now : new Instant[] {START.minus(Duration.ofDays(3)), START, END.plusSeconds(1)}) {
            assertEquals(SCHEDULE, machine.next(task(LiveTaskState.PENDING), now, null), now.toString());
        }
    }

    @Test
    void theCancellationCheckIsDueExactlyWhenTheRefundWindowCloses() {
        LiveTask scheduled = task(LiveTaskState.SCHEDULED);
        Instant deadline = START.minus(REFUND);
        assertEquals(NONE, machine.next(scheduled, deadline.minus(MS), null), "the customer may still cancel");
        assertEquals(REFUND_CHECK, machine.next(scheduled, deadline, null));
        assertEquals(REFUND_CHECK, machine.next(scheduled, START.minus(MS), null), "still due if livecap was down");
        assertEquals(NONE, machine.next(scheduled.withRefundChecked(), deadline, null), "checked once");
    }

    @Test
    void aRefundWindowOfZeroIsCheckedAtTheStart() {
        LiveTask noWindow = new LiveTask(new TaskKey("us", 1), "1_e", 1, 1, 1, START, END, Duration.ZERO, BUFFER,
                BUFFER, OutputFormat.SRT, "en-US", null, null, LiveTaskState.SCHEDULED, false, null, null, null,
                Set.of(), null);
        assertEquals(NONE, machine.next(noWindow, START.minus(MS), null));
        assertEquals(REFUND_CHECK, machine.next(noWindow, START, null));
    }

    @Test
    void processingStartsAtTheSlotsStartDateNotABufferBefore() {
        LiveTask checked = task(LiveTaskState.SCHEDULED).withRefundChecked();
        assertEquals(NONE, machine.next(checked, START.minus(MS), null));
        assertEquals(NONE, machine.next(checked, START.minus(BUFFER), null), "the buffer is inside startDate");
        assertEquals(START_PROCESSING, machine.next(checked, START, null));
    }

    @Test
    void aRowSavedWithTheOldOpenStateGoesProcessingAtTheStart() {
        LiveTask open = task(LiveTaskState.OPEN).withRefundChecked();
        assertEquals(NONE, machine.next(open, START.minus(MS), null));
        assertEquals(START_PROCESSING, machine.next(open, START, null));
        assertEquals(MISSED, machine.next(open, END, null));
    }

    @Test
    void aProcessingTaskIsLookedAtEveryKeepAlive() {
        LiveTask processing = task(LiveTaskState.PROCESSING);
        Instant now = START.plusSeconds(30);
        assertEquals(KEEP_ALIVE, machine.next(processing, now, null), "never looked at yet");
        assertEquals(NONE, machine.next(processing, now, now.minus(KEEP_ALIVE_EVERY).plus(MS)));
        assertEquals(KEEP_ALIVE, machine.next(processing, now, now.minus(KEEP_ALIVE_EVERY)));
    }

    @Test
    void captionsAreCutOffAtEndDateWhichAlreadyHoldsTheEndBuffer() {
        LiveTask processing = task(LiveTaskState.PROCESSING);
        assertEquals(NONE, machine.next(processing, END.minus(MS), END.minus(MS)));
        assertEquals(CUT_OFF, machine.next(processing, END, END.minus(MS)));
        assertEquals(END, processing.cutoffAt());
        assertEquals(START, processing.captionsFrom());
        assertEquals(Instant.parse("2026-12-01T11:00:00Z"), processing.slot().eventEnd());
    }

    @Test
    void aSlotThatPassedBeforeGoingLiveIsMissed() {
        LiveTask scheduled = task(LiveTaskState.SCHEDULED);
        assertEquals(START_PROCESSING, machine.next(scheduled.withRefundChecked(), END.minus(MS), null));
        assertEquals(MISSED, machine.next(scheduled, END, null));
        assertEquals(MISSED, machine.next(scheduled.withRefundChecked(), END.plusSeconds(3600), null));
    }

    @Test
    void deliveringDeliversAndFinalStatesDoNothing() {
        assertEquals(DELIVER, machine.next(task(LiveTaskState.DELIVERING), END.plusSeconds(1), null));
        for (LiveTaskState done : new LiveTaskState[] {LiveTaskState.READY, LiveTaskState.ERROR,
                LiveTaskState.CANCELLED}) {
            assertEquals(NONE, machine.next(task(done), END.plusSeconds(1), null), done.name());
        }
    }

    @Test
    void theHalfTimeAlertComesHalfWayFromTheStartToTheExpectedFinish() {
        Instant expected = END.plus(GRACE);
        assertEquals(expected, machine.expectedFinish(task(LiveTaskState.PROCESSING)));
        Instant half = START.plus(Duration.between(START, expected).dividedBy(2));
        LiveTask processing = task(LiveTaskState.PROCESSING);
        assertEquals(Optional.empty(), machine.alertDue(processing, half.minus(MS)));
        assertEquals(Optional.of(TaskAlert.HALF), machine.alertDue(processing, half));
        assertEquals(Optional.empty(), machine.alertDue(processing.withAlert(TaskAlert.HALF), half),
                "raised once");
    }

    @Test
    void aTaskNotReadyByTheExpectedFinishIsStuckOnce() {
        Instant expected = END.plus(GRACE);
        LiveTask delivering = task(LiveTaskState.DELIVERING).withAlert(TaskAlert.HALF);
        assertEquals(Optional.empty(), machine.alertDue(delivering, expected.minus(MS)));
        assertEquals(Optional.of(TaskAlert.STUCK), machine.alertDue(delivering, expected));
        LiveTask stuck = delivering.withAlert(TaskAlert.STUCK);
        assertEquals(Optional.empty(), machine.alertDue(stuck, expected.plusSeconds(3600)), "raised once");
        assertEquals(Optional.of(TaskAlert.STUCK), machine.alertDue(task(LiveTaskState.DELIVERING),
                expected), "stuck wins over a half-time alert never raised");
        assertEquals(Optional.empty(), machine.alertDue(task(LiveTaskState.DELIVERING)
                .withAlert(TaskAlert.STUCK), expected), "no half-time alert after stuck");
    }

    @Test
    void finishedAndPendingTasksRaiseNoAlert() {
        Instant late = END.plus(GRACE).plusSeconds(1);
        for (LiveTaskState state : new LiveTaskState[] {LiveTaskState.PENDING, LiveTaskState.READY,
                LiveTaskState.ERROR, LiveTaskState.CANCELLED}) {
            assertEquals(Optional.empty(), machine.alertDue(task(state), late), state.name());
        }
        assertEquals(Optional.of(TaskAlert.STUCK), machine.alertDue(task(LiveTaskState.SCHEDULED), late),
                "a task that never went live is stuck too");
    }
}
