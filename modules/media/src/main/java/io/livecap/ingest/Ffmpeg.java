package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.schild.jave.process.ffmpeg.DefaultFFMPEGLocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ffmpeg that livecap runs, chosen once: {@code LIVECAP_FFMPEG} when set, else a system ffmpeg
 * ({@code /usr/bin/ffmpeg}, Debian's dynamically linked build) when installed, else JAVE's bundled static build
 * (4.4.1), unpacked from the jar, so that nothing needs installing.
 *
 * <p>Why the system build comes first: the bundled static build dies with signal 11 whenever it resolves a host
 * name (static glibc cannot load the NSS modules {@code getaddrinfo} needs), so it can only pull from IP literals.
 * Every candidate is probed the same way ({@code -i http://localhost:1/}: a refused connection is the right answer,
 * a crash is not), so an override that cannot resolve names is known too. Pulls adapt to the answer: see
 * {@link #resolvesHostNames()}.
 */
public final class Ffmpeg {

    /** The binary livecap runs, what it is, and whether it can resolve host names itself. */
    public record Choice(String executable, String version, String origin, boolean resolvesHostNames,
                         List<String> passedOver) {

        /** "decoder: /usr/bin/ffmpeg 5.1.9 (system); passed over: bundled 4.4.1 - cannot resolve host names". */
        public String describe() {
            return "decoder: " + executable + " " + version + " (" + origin + ")"
                    + (resolvesHostNames ? "" : " - cannot resolve host names: pulls resolve them in Java")
                    + (passedOver.isEmpty() ? "" : "; passed over: " + String.join(", ", passedOver));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Ffmpeg.class);
    private static final Path SYSTEM = Path.of("/usr/bin/ffmpeg");
    private static final Pattern VERSION = Pattern.compile("ffmpeg version (\\S+)");
    private static volatile Choice choice;
    private static volatile Path emptyGconvDir;

    private Ffmpeg() {
    }

    /** The decoder choice, made (and logged) on first use. */
    public static Choice choice() {
        if (choice == null) {
            synchronized (Ffmpeg.class) {
                if (choice == null) {
                    choice = choose();
                    log.info("{}", choice.describe());
                }
            }
        }
        return choice;
    }

    public static String executable() {
        return choice().executable();
    }

    /** False for the bundled static build: the host of a pull must then be resolved before ffmpeg sees it. */
    public static boolean resolvesHostNames() {
        return choice().resolvesHostNames();
    }

    /** A process builder for ffmpeg with {@code args}, its environment set up to avoid known traps. */
    public static ProcessBuilder command(List<String> args) {
        return command(choice(), args);
    }

    private static ProcessBuilder command(Choice decoder, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(decoder.executable());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (!decoder.resolvesHostNames()) {
            // the static build also crashes in iconv on MPEG-TS unless GCONV_PATH points at an empty directory
            builder.environment().put("GCONV_PATH", gconvDir().toString());
        }
        return builder;
    }

    private static Choice choose() {
        List<String> passedOver = new ArrayList<>();
        String override = System.getenv("LIVECAP_FFMPEG");
        if (override != null && !override.isBlank()) {
            return probe(override, "LIVECAP_FFMPEG", passedOver);
        }
        String bundled = new DefaultFFMPEGLocator().getExecutablePath();
        if (Files.isExecutable(SYSTEM)) {
            Choice system = probe(SYSTEM.toString(), "system", passedOver);
            if (system.resolvesHostNames()) {
                Choice jave = probe(bundled, "bundled", List.of());
                passedOver.add("bundled " + jave.version()
                        + (jave.resolvesHostNames() ? "" : " - cannot resolve host names"));
                return new Choice(system.executable(), system.version(), system.origin(), true, passedOver);
            }
            passedOver.add("system " + system.version() + " - cannot resolve host names");
        }
        return probe(bundled, "bundled", passedOver);
    }

    /** Runs {@code -version} and the host-name probe; a binary that cannot even start is reported as such. */
    private static Choice probe(String executable, String origin, List<String> passedOver) {
        String version = "(unknown version)";
        boolean resolves = false;
        try {
            String text = run(executable, List.of("-hide_banner", "-version"), null);
            Matcher m = VERSION.matcher(text);
            version = m.find() ? m.group(1) : version;
            int[] code = new int[1];
            run(executable, List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "2000000",
                    "-i", "http://localhost:1/probe.m3u8"), code);
            resolves = code[0] < 128; // refused (1) is an answer; 139 is the segfault
        } catch (IOException e) {
            log.warn("decoder {} ({}) cannot run: {}", executable, origin, e.getMessage());
        }
        return new Choice(executable, version, origin, resolves, List.copyOf(passedOver));
    }

    private static String run(String executable, List<String> args, int[] exitCode) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GCONV_PATH", gconvDir().toString());
        Process process = builder.start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(executable + " did not answer within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (exitCode != null) {
            exitCode[0] = process.exitValue();
        }
        return text;
    }

    private static Path gconvDir() {
        if (emptyGconvDir == null) {
            synchronized (Ffmpeg.class) {
                if (emptyGconvDir == null) {
                    try {
                        Path dir = Files.createTempDirectory("livecap-gconv");
                        dir.toFile().deleteOnExit();
                        emptyGconvDir = dir;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return emptyGconvDir;
    }
}
