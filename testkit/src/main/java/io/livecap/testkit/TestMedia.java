package io.livecap.testkit;

import io.livecap.ingest.Ffmpeg;
import io.livecap.testkit.SharedAudio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The lecture sample made into stereo AAC in MPEG-TS and FLV with livecap's ffmpeg, and cut into ingest chunks the
 * way a pushing client would: at PES / tag boundaries, each chunk's header the pts of its first audio packet.
 */
public final class TestMedia {

    /** 2^33 / 90000 s: where MPEG-TS pts wrap. */
    public static final double TS_WRAP_S = (1L << 33) / 90_000.0;
    private static final Path DIR = Path.of("target", "media-fixtures");

    /** One compressed chunk as the ingest websocket would carry it. */
    public record Piece(long pts, byte[] bytes) {
    }

    private TestMedia() {
    }

    /** The lecture as stereo AAC in {@code format} ("mpegts", "flv"), its timestamps starting near {@code offsetS}. */
    public static Path lecture(String format, double offsetS) throws IOException, InterruptedException {
        return encoded("lecture-" + (long) offsetS + ("mpegts".equals(format) ? ".ts" : "." + format),
                "-ac", "2", "-c:a", "aac", "-b:a", "64k", "-output_ts_offset", String.valueOf(offsetS), "-f", format);
    }

    /** The lecture encoded with {@code outputArgs} into {@code name}, made once and kept under target/. */
    public static synchronized Path encoded(String name, String... outputArgs) throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        Path out = DIR.resolve(name);
        if (!Files.exists(out)) {
            Path tmp = DIR.resolve(name + ".tmp");
            List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                    "-i", SharedAudio.file(SharedAudio.LECTURE).toString()));
            args.addAll(List.of(outputArgs));
            args.add(tmp.toString());
            Process p = Ffmpeg.command(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ffmpeg could not make " + out + " with " + args);
            }
            Files.move(tmp, out);
        }
        return out;
    }

    /** A file cut into {@code size}-byte pieces, all stamped {@code pts} (for containers whose pts tests ignore). */
    public static List<Piece> pieces(Path file, int size, long pts) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<Piece> pieces = new ArrayList<>();
        for (int at = 0; at < all.length; at += size) {
            pieces.add(new Piece(pts, Arrays.copyOfRange(all, at, Math.min(all.length, at + size))));
        }
        return pieces;
    }

    /**
     * livecap's ffmpeg processes decoding live (they alone use ashowinfo) that this JVM started itself. Its children
     * only: the end-to-end tests of the concurrent lane (junit-platform.properties) run livecap processes whose
     * decoders are this JVM's grandchildren, alive while those tests are.
     */
    public static List<ProcessHandle> runningDecoders() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("ashowinfo")).orElse(false))
                .toList();
    }

    /** MPEG-TS cut before every {@code pesPerPiece}-th audio PES; each piece's pts is its first PES's (raw 33 bits). */
    public static List<Piece> tsPieces(Path file, int pesPerPiece) throws IOException {
        byte[] ts = Files.readAllBytes(file);
        assertEquals(0, ts.length % 188, "whole TS packets");
        List<Piece> pieces = new ArrayList<>();
        int pieceStart = 0;
        int pesCount = 0;
        long piecePts = -1;
        for (int at = 0; at < ts.length; at += 188) {
            long pts = pesPts(ts, at);
            if (pts < 0) {
                continue;
            }
            if (pesCount % pesPerPiece == 0) {
                if (piecePts >= 0) {
                    pieces.add(new Piece(piecePts, Arrays.copyOfRange(ts, pieceStart, at)));
                    pieceStart = at;
                }
                piecePts = pts;
            }
            pesCount++;
        }
        pieces.add(new Piece(piecePts, Arrays.copyOfRange(ts, pieceStart, ts.length)));
        return pieces;
    }

    /** The PTS of every audio PES in the file, in order. */
    public static List<Long> tsPesPts(Path file) throws IOException {
        byte[] ts = Files.readAllBytes(file);
        List<Long> all = new ArrayList<>();
        for (int at = 0; at < ts.length; at += 188) {
            long pts = pesPts(ts, at);
            if (pts >= 0) {
                all.add(pts);
            }
        }
        return all;
    }

    /** FLV cut before every {@code tagsPerPiece}-th audio tag; each piece's pts is its first audio tag's timestamp. */
    public static List<Piece> flvPieces(Path file, int tagsPerPiece) throws IOException {
        ByteBuffer flv = ByteBuffer.wrap(Files.readAllBytes(file));
        int at = flv.getInt(5) + 4; // header, then PreviousTagSize0
        int pieceStart = 0;
        long piecePts = -1;
        int audioTags = 0;
        List<Piece> pieces = new ArrayList<>();
        while (at + 11 <= flv.limit()) {
            int type = flv.get(at) & 0x1f;
            int size = flv.getInt(at) & 0xffffff;
            long timestamp = (flv.getInt(at + 4) >>> 8) | ((long) (flv.get(at + 7) & 0xff) << 24);
            boolean aacFrame = type == 8 && (flv.get(at + 11) & 0xf0) == 0xa0 && flv.get(at + 12) == 1;
            if (aacFrame) { // not the AAC sequence header, which has no time
                if (audioTags % tagsPerPiece == 0) {
                    if (piecePts >= 0) {
                        pieces.add(new Piece(piecePts, Arrays.copyOfRange(flv.array(), pieceStart, at)));
                        pieceStart = at;
                    }
                    piecePts = timestamp;
                }
                audioTags++;
            }
            at += 11 + size + 4;
        }
        pieces.add(new Piece(piecePts, Arrays.copyOfRange(flv.array(), pieceStart, flv.limit())));
        return pieces;
    }

    /** The file decoded whole by ffmpeg to 16 kHz stereo s16le: what streaming must reproduce. */
    public static byte[] decodeWhole(Path file) throws IOException, InterruptedException {
        Process p = Ffmpeg.command(List.of("-nostdin", "-hide_banner", "-loglevel", "error", "-i", file.toString(),
                        "-ac", "2", "-ar", "16000", "-f", "s16le", "pipe:1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] pcm = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "ffmpeg decoded " + file);
        return pcm;
    }

    private static long pesPts(byte[] ts, int at) {
        boolean unitStart = (ts[at + 1] & 0x40) != 0;
        int pid = ((ts[at + 1] & 0x1f) << 8) | (ts[at + 2] & 0xff);
        if (!unitStart || pid != 0x100) { // ffmpeg's first elementary stream
            return -1;
        }
        int payload = at + 4;
        if ((ts[at + 3] & 0x20) != 0) {
            payload += 1 + (ts[at + 4] & 0xff);
        }
        if (ts[payload] != 0 || ts[payload + 1] != 0 || ts[payload + 2] != 1 || (ts[payload + 7] & 0x80) == 0) {
            return -1;
        }
        int p = payload + 9;
        return ((long) (ts[p] & 0x0e) << 29) | ((ts[p + 1] & 0xff) << 22) | ((ts[p + 2] & 0xfe) << 14)
                | ((ts[p + 3] & 0xff) << 7) | ((ts[p + 4] & 0xff) >> 1);
    }
}
