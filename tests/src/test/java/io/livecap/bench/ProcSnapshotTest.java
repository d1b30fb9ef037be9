package io.livecap.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcSnapshotTest {

    @Test
    void cpuTimeIsReadPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (C2 Compiler (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 1 0 99 0 0";
        assertEquals(2.8, ProcSnapshot.cpuSeconds(stat), 1e-9);
    }

    @Test
    void threadsAreGroupedByWhatTheyDoInLivecap() {
        assertEquals("session", ProcSnapshot.threadGroup("session-b12"));
        assertEquals("netty", ProcSnapshot.threadGroup("multiThreadIoEv"));
        assertEquals("gc", ProcSnapshot.threadGroup("GC Thread#1"));
        assertEquals("gc", ProcSnapshot.threadGroup("G1 Conc#0"));
        assertEquals("jit", ProcSnapshot.threadGroup("C2 CompilerThre"));
        assertEquals("other", ProcSnapshot.threadGroup("VM Thread"));
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndIoWait() {
        String procStat = "cpu  100 20 30 5000 400 6 7 8 0 0\ncpu0 50 10 15 2500 200 3 3 4 0 0\n";
        assertEquals((100 + 20 + 30 + 6 + 7 + 8) / 100.0, ProcSnapshot.machineBusySeconds(procStat), 1e-9);
        assertEquals(0.5, ProcSnapshot.runQueueWaitSeconds("7801077 500000000 3\n"), 1e-9);
    }

    @Test
    void aSnapshotOfThisProcessSeesItsMemoryAndThreads() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "skipped: no Linux /proc here");
        ProcSnapshot s = ProcSnapshot.take(ProcessHandle.current().pid());
        assertTrue(s.serverRssKb() > 10_000, "a JVM holds more than 10 MB resident: " + s.serverRssKb());
        assertTrue(s.serverCpuSeconds() > 0);
        assertTrue(s.serverThreadCpuSeconds().containsKey("other"), "main and the VM's threads are there");
        assertTrue(s.load1() >= 0);
    }
}
