package io.livecap.store;

import io.livecap.session.Leases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two or three nodes' leases on one database (H2 in one process stands in; PostgreSQL is the real case). */
class JdbcLeasesTest {

    private static final String TASK = Leases.task("us", 42);

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50); // polling an observable condition
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void oneOwnerAtATimeHandedBackOnCloseAndTakenOverWhenNotRenewed(Backend backend, @TempDir Path dir)
            throws Exception {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            JdbcLeases a = new JdbcLeases(db, "node-a", Duration.ofSeconds(2), Duration.ofMillis(400)).start("a:1");
            JdbcLeases b = new JdbcLeases(db, "node-b", Duration.ofSeconds(2), Duration.ofMillis(400)).start("b:1");
            assertTrue(a.claim(TASK).mine());
            assertEquals(new Leases.Claim(false, "node-a"), b.claim(TASK), "held by a, and b is told so");
            // renewed by a's heartbeat: still a's well past one TTL
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertFalse(b.claim(TASK).mine(), "a renews its lease");
                Thread.sleep(200);
            }
            assertEquals(List.of("node-a", "node-b"), b.view().nodes().stream().map(Leases.NodeInfo::nodeId).toList());
            assertEquals("node-a", b.view().leases().get(0).owner());

            // a dies: no more heartbeats; b takes over after the TTL, and a, back, finds out it lost it
            Set<String> lost = ConcurrentHashMap.newKeySet();
            a.onLost(lost::add);
            a.stopRenewing();
            long died = System.nanoTime();
            await("b to take the task over", Duration.ofSeconds(15), () -> b.claim(TASK).mine());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died);
            assertTrue(tookMs >= 1_000, "not before the lease expired: " + tookMs + " ms");
            assertEquals(2, b.view().leases().get(0).generation(), "one change of owner");
            a.renew();
            assertEquals(Set.of(TASK), lost);
            assertFalse(a.claim(TASK).mine());

            // graceful: b hands its leases back on close, a takes them without waiting for the TTL
            b.close();
            await("a to take it back", Duration.ofSeconds(5), () -> a.claim(TASK).mine());
            a.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLeaseThatExpiredWhileNoHeartbeatGotThroughIsTakenBackIfNobodyTookIt(Backend backend, @TempDir Path dir)
            throws Exception {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            JdbcLeases a = new JdbcLeases(db, "node-a", Duration.ofSeconds(1), Duration.ofMillis(200)).start("a:1");
            try {
                Set<String> lost = ConcurrentHashMap.newKeySet();
                a.onLost(lost::add);
                assertTrue(a.claim(TASK).mine());
                a.stopRenewing(); // as in a store outage: no heartbeat gets through
                await("the lease to expire in the store", Duration.ofSeconds(10),
                        () -> a.view().leases().isEmpty());
                a.renew(); // the store is back: nobody took the lease, so it is still this node's
                assertEquals(Set.of(), lost, "not lost");
                assertTrue(a.holds(TASK), "held again");
                assertEquals("node-a", a.view().leases().get(0).owner());
            } finally {
                a.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nodesClaimingTogetherGetExactlyOneOwnerPerResource(Backend backend, @TempDir Path dir) throws Exception {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            List<JdbcLeases> nodes = List.of(
                    new JdbcLeases(db, "n1", Duration.ofSeconds(10), Duration.ofSeconds(2)).start("n1:1"),
                    new JdbcLeases(db, "n2", Duration.ofSeconds(10), Duration.ofSeconds(2)).start("n2:1"),
                    new JdbcLeases(db, "n3", Duration.ofSeconds(10), Duration.ofSeconds(2)).start("n3:1"));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                for (int round = 0; round < 20; round++) {
                    String resource = Leases.stream("ev" + round);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Leases.Claim>> claims = new java.util.ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        JdbcLeases node = nodes.get(i % 3);
                        claims.add(pool.submit(() -> {
                            go.await();
                            return node.claim(resource);
                        }));
                    }
                    go.countDown();
                    Set<String> owners = new java.util.HashSet<>();
                    int mine = 0;
                    for (Future<Leases.Claim> claim : claims) {
                        Leases.Claim c = claim.get(30, TimeUnit.SECONDS);
                        mine += c.mine() ? 1 : 0;
                        if (c.mine()) {
                            owners.add(nodes.get(claims.indexOf(claim) % 3).nodeId());
                        }
                    }
                    assertEquals(1, owners.size(), resource + ": one owner node, got " + owners);
                    assertTrue(mine >= 1 && mine <= 2, resource + ": only the owner's two claimers hold it");
                    String owner = owners.iterator().next();
                    assertEquals(owner, nodes.get(0).view().leases().stream()
                            .filter(l -> l.resource().equals(resource)).findFirst().orElseThrow().owner());
                }
            } finally {
                pool.shutdownNow();
                nodes.forEach(JdbcLeases::close);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDrainingNodeLeavesTheNodesAndSaysSoAndAnUnrenewedOneIsNotReady(Backend backend, @TempDir Path dir)
            throws Exception {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            JdbcLeases a = new JdbcLeases(db, "node-a", Duration.ofSeconds(2), Duration.ofMillis(300)).start("a:1");
            JdbcLeases b = new JdbcLeases(db, "node-b", Duration.ofSeconds(2), Duration.ofMillis(300)).start("b:1");
            try {
                assertEquals(List.of(), a.notReady(), "ready while the store takes its heartbeats");
                await("b to see both nodes", Duration.ofSeconds(10), () -> b.aliveNodes() == 2);
                assertTrue(a.claim(TASK).mine());

                a.drain();
                assertTrue(a.notReady().stream().anyMatch(r -> r.startsWith("draining")), a.notReady().toString());
                // gone from the nodes at once, so b's fair share grows; a's lease stays a's until released
                await("b to count one node", Duration.ofSeconds(10), () -> b.aliveNodes() == 1);
                assertEquals(List.of("node-b"), b.view().nodes().stream().map(Leases.NodeInfo::nodeId).toList());
                assertFalse(b.claim(TASK).mine(), "still renewed by the draining node");
                a.release(TASK);
                await("b to take the released task", Duration.ofSeconds(15), () -> b.claim(TASK).mine());

                b.stopRenewing();
                await("b's unrenewed leases to make it unready", Duration.ofSeconds(10), () -> b.notReady().stream()
                        .anyMatch(r -> r.startsWith("lease heartbeat lost")));
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWorkerIsListedWithItsRoleAndLoadButIsNoNodeToShareTasksWith(Backend backend, @TempDir Path dir)
            throws Exception {
        try (Database db = Database.open(backend.freshUrl(dir))) {
            AtomicInteger streams = new AtomicInteger(2);
            JdbcLeases node = new JdbcLeases(db, "node-a", Duration.ofSeconds(2), Duration.ofMillis(200))
                    .reportLoad(() -> new Leases.Load(streams.get(), -1, -1)).start("a:1");
            JdbcLeases worker = new JdbcLeases(db, "worker-1", Duration.ofSeconds(2), Duration.ofMillis(200))
                    .asWorker().reportLoad(() -> new Leases.Load(0, 3, 4)).start("w:1");
            assertTrue(node.claim(TASK).mine());
            streams.set(5);
            await("the node's next heartbeat to carry its load", Duration.ofSeconds(10), () -> node.view().nodes()
                    .stream().anyMatch(n -> n.nodeId().equals("node-a") && n.load().liveStreams() == 5));
            node.renew();
            assertEquals(1, node.aliveNodes(), "a worker takes no share of the tasks");
            Leases.ClusterView view = worker.view();
            assertEquals(List.of("node-a:node", "worker-1:worker"), view.nodes().stream()
                    .map(n -> n.nodeId() + ":" + n.role()).toList());
            Leases.NodeInfo w = view.nodes().get(1);
            assertEquals(new Leases.Load(0, 3, 4), w.load());
            assertTrue(w.alive());
            worker.close();
            assertEquals(List.of("node-a"), node.view().nodes().stream().map(Leases.NodeInfo::nodeId).toList(),
                    "a worker that stops leaves the list");
            node.close();
        }
    }
}
