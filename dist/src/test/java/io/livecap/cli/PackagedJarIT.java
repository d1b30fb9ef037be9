package io.livecap.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's promise, checked on the packaged jar: it runs on its embedded defaults with nothing else. */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "livecap.jar");

    private record Run(int exit, String out) {
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("livecap-it", ".log");
        // run outside the checkout so nothing but the jar's own defaults is used
        Process process = new ProcessBuilder(command).directory(Files.createTempDirectory("livecap-it").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", args) + "\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void demoRunsOnTheEmbeddedDefaultsAndPrintsCaptions() throws Exception {
        Run demo = run("demo", "--fast");
        assertEquals(0, demo.exit(), demo.out());
        assertTrue(demo.out().contains("FINAL"), demo.out());
        assertTrue(demo.out().contains("engine: "), "the engine choice is logged: " + demo.out());
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.exit(), help.out());
        for (String command : List.of("serve", "feed", "listen", "demo")) {
            assertTrue(help.out().contains(command), help.out());
        }
    }
}
