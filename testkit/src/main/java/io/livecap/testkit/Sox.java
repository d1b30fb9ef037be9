package io.livecap.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Makes test audio with sox (Debian package {@code sox}); tests skip, saying so, where it is missing. */
public final class Sox {

    private Sox() {
    }

    public static boolean available() {
        try {
            return new ProcessBuilder("sox", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** {@code sox in out effects...}, e.g. {@code remix 1 1v-1} for a right channel that is the inverted left. */
    public static Path run(Path in, Path out, String... effects) throws IOException, InterruptedException {
        assumeTrue(available(), "skipped: sox is not installed (apt-get install sox)");
        List<String> command = new ArrayList<>(List.of("sox", in.toString(), out.toString()));
        command.addAll(List.of(effects));
        Process sox = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(sox.getInputStream().readAllBytes());
        if (!sox.waitFor(60, TimeUnit.SECONDS) || sox.exitValue() != 0 || !Files.exists(out)) {
            throw new IOException("sox " + String.join(" ", effects) + " failed: " + output);
        }
        return out;
    }
}
