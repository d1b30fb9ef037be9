package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.schild.jave.process.ffmpeg.DefaultFFMPEGLocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ffmpeg that livecap runs: JAVE's bundled static build (4.4.1), unpacked from the jar on first use, so no
 * system ffmpeg is needed. {@code LIVECAP_FFMPEG} points at another binary instead.
 */
public final class Ffmpeg {

    private static final Logger log = LoggerFactory.getLogger(Ffmpeg.class);
    private static volatile String executable;
    private static volatile Path emptyGconvDir;

    private Ffmpeg() {
    }

    public static String executable() {
        if (executable == null) {
            synchronized (Ffmpeg.class) {
                if (executable == null) {
                    String override = System.getenv("LIVECAP_FFMPEG");
                    executable = override != null && !override.isBlank() ? override
                            : new DefaultFFMPEGLocator().getExecutablePath();
                    log.debug("ffmpeg: {}", executable);
                }
            }
        }
        return executable;
    }

    /** A process builder for ffmpeg with {@code args}, its environment set up to avoid known traps. */
    public static ProcessBuilder command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // the static build crashes in iconv on MPEG-TS unless GCONV_PATH points at an empty directory
        builder.environment().put("GCONV_PATH", gconvDir().toString());
        return builder;
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
