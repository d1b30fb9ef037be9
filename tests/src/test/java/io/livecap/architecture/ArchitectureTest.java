package io.livecap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The house rules of docs/ARCHITECTURE.md, enforced: each fails when a change breaks it. */
class ArchitectureTest {

    /** Everything shipped in target/livecap.jar that is ours, tests excluded. */
    private static final JavaClasses LIVECAP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.livecap");

    private static final String[] TOOLS = {"io.livecap.sandbox..", "io.livecap.bench..", "io.livecap.testkit.."};

    @Test
    void theRulesSeeTheWholeProduct() {
        // a rule over no classes proves nothing: every module's classes must be on this module's class path
        for (String name : new String[]{"io.livecap.node.LivecapNode", "io.livecap.sandbox.ReachSandbox",
                "io.livecap.bench.LatencyBench", "io.livecap.store.JdbcCaptionStore", "io.livecap.cli.Main"}) {
            assertTrue(LIVECAP.contain(name), name + " not imported");
        }
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.livecap.(*)..").should().beFreeOfCycles().check(LIVECAP);
    }

    @Test
    void productionCodeNeverDependsOnTheSandboxTheBenchmarkOrTheTestKit() {
        noClasses().that().resideOutsideOfPackages(TOOLS)
                .should().dependOnClassesThat().resideInAnyPackage(TOOLS)
                .check(LIVECAP);
    }

    @Test
    void onlyTheCompositionRootKnowsTheStore() {
        // the ports (CaptionStore, DeliveryCheckpoints, LiveTaskRepository) live beside their users
        noClasses().that().resideOutsideOfPackages("io.livecap.store..", "io.livecap.node..")
                .and().resideOutsideOfPackages(TOOLS)
                .should().dependOnClassesThat().resideInAPackage("io.livecap.store..")
                .check(LIVECAP);
    }

    @Test
    void nettyStaysAtTheEdge() {
        // the server turns frames into plain values; nothing inward (nor the clients and tools) sees a Netty type
        noClasses().that().resideOutsideOfPackage("io.livecap.server..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(LIVECAP);
    }
}
