package io.livecap.sandbox;

import io.livecap.ingest.Ffmpeg;
import ws.schild.jave.EncoderException;
import ws.schild.jave.MultimediaObject;
import ws.schild.jave.info.MultimediaInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What every event's live media is made of: the speech sample, looped, encoded as a live broadcast would carry it,
 * AAC in MPEG-TS (48 kHz stereo), with the pts of the event's timeline.
 * <p>
 * MPEG-TS rather than livecap's own ingest framing: a partner's live feed is a real container with its own 90 kHz
 * clock, which wraps after 26.5 hours, and a vendor joining mid-stream must resynchronise on it. Rehearsing against
 * that exercises the vendor's real path (websocket bytes into ffmpeg, pts from ffmpeg) instead of a shortcut.
 */
final class MediaSource {

    private final Path audioFile;
    private final Duration sampleLength;
    private final Duration ptsStart;
    private final SandboxConfig.StereoMode stereo;

    private MediaSource(Path audioFile, Duration sampleLength, Duration ptsStart, SandboxConfig.StereoMode stereo) {
        this.audioFile = audioFile;
        this.sampleLength = sampleLength;
        this.ptsStart = ptsStart;
        this.stereo = stereo;
    }

    static MediaSource of(SandboxConfig config) throws IOException {
        Path file = config.audioFile();
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read the sample " + file);
        }
        MultimediaInfo info;
        try {
            info = new MultimediaObject(file.toFile(), Ffmpeg::executable).getInfo();
        } catch (EncoderException e) {
            throw new IOException(file + ": ffmpeg cannot read it: " + e.getMessage(), e);
        }
        if (info.getAudio() == null || info.getDuration() <= 0) {
            throw new IOException(file + ": no audio in it");
        }
        return new MediaSource(file, Duration.ofMillis(info.getDuration()), config.mediaPtsStart(), config.stereo());
    }

    /**
     * ffmpeg playing the event from {@code intoEvent} for {@code remaining}, paced in real time ({@code -re}), so a
     * viewer who joins late hears what is live now, stamped with the pts it would have had all along.
     */
    ProcessBuilder process(Duration intoEvent, Duration remaining) {
        long intoSampleMs = intoEvent.toMillis() % sampleLength.toMillis();
        String channels = switch (stereo) {
            case SAME_ON_BOTH -> "c1=c0";
            case PHASE_INVERTED_RIGHT -> "c1=-1*c0";
            case SILENT_RIGHT -> "c1=0*c0";
        };
        return Ffmpeg.command(List.of("-nostdin", "-nostats", "-loglevel", "error",
                        "-re", "-stream_loop", "-1", "-ss", seconds(intoSampleMs), "-i", audioFile.toString(),
                        "-t", seconds(remaining.toMillis()), "-vn",
                        "-af", "aformat=channel_layouts=mono,pan=stereo|c0=c0|" + channels,
                        "-ar", "48000", "-c:a", "aac", "-b:a", "96k",
                        // without these the muxer shifts every pts by 1.4 s
                        "-muxdelay", "0", "-muxpreload", "0",
                        "-f", "mpegts", "-output_ts_offset", seconds(ptsStart.plus(intoEvent).toMillis()), "pipe:1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }
}
