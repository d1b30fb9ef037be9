package io.livecap.lifecycle;

import io.livecap.config.LivecapConfig;
import io.livecap.testkit.TestConfig;
import io.livecap.sandbox.SandboxRegion;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Configuration and waiting for lifecycle tests against the REACH sandbox. */
final class ReachSandboxRun {

    private ReachSandboxRun() {
    }

    /** livecap settings that drive the sandbox's region quickly: poll every second, steps every 200 ms. */
    static LivecapConfig livecapFor(SandboxRegion region, String vendor, String storeUrl) {
        return LivecapConfig.load(null, Map.of(), Map.of("server.port", "0", "server.host", "127.0.0.1",
                        "store.url", storeUrl, "reach.poll_seconds", "1", "reach.tick_ms", "200",
                        "reach.keep_alive_seconds", "2", "reach.delivery_grace_seconds", "60",
                        "auth.admin_key_file", "", "ingest.allowed_networks", TestConfig.LOOPBACK_NETWORKS))
                .withReachEndpoint(new LivecapConfig.ReachEndpoint(region.name(), region.serviceUrl().toString(),
                        region.vendorPartnerId(), vendor, region.vendorKs().reveal()));
    }

    /** Waits for a condition the system reaches by itself (a status, a count), checking every 100 ms. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100); // polling an observable condition, not guessing a duration
        }
    }
}
