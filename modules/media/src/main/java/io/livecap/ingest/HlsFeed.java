package io.livecap.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a live HLS playlist and writes its MPEG-TS segments, in order, into ffmpeg's stdin: livecap fetches HLS
 * itself so that every playlist, redirect and segment URL is checked ({@link SafeHttp}, {@link PullNetworks}); ffmpeg
 * only decodes {@code pipe:0} and may open nothing else ({@code -protocol_whitelist pipe}).
 *
 * <p>It behaves as ffmpeg's HLS demuxer did with {@code -live_start_index -1}: a live playlist is joined at its
 * last segment, an ended one ({@code #EXT-X-ENDLIST}) is read from its first. The playlist is reloaded every half
 * target duration; when no new segment came for {@link #STALL_MS} or the sequence went back (the encoder restarted),
 * the attempt ends with an error and the pull reconnects at the live edge. At the end marker stdin is closed, so
 * ffmpeg drains and exits 0 (a clean end).
 */
final class HlsFeed {

    /** As ffmpeg's {@code -rw_timeout} before: an encoder silent this long is gone. */
    static final long STALL_MS = 15_000;

    private final SafeHttp http;
    private final URI url;
    private final Map<String, String> headers;
    private final OutputStream sink;
    private final CountDownLatch stop;

    HlsFeed(SafeHttp http, URI url, Map<String, String> headers, OutputStream sink, CountDownLatch stop) {
        this.http = http;
        this.url = url;
        this.headers = headers;
        this.sink = sink;
        this.stop = stop;
    }

    /** Feeds until the end marker (returns) or an error (throws); stdin is closed either way. */
    void run() throws IOException, InterruptedException {
        try (sink) {
            HlsPlaylist playlist = HlsPlaylist.fetch(http, url, headers);
            long next = playlist.ended() || playlist.segments().isEmpty() ? playlist.firstSequence()
                    : playlist.endSequence() - 1;
            long progressAt = System.currentTimeMillis();
            while (stop.getCount() > 0) {
                if (playlist.endSequence() < next) {
                    throw new IOException("the playlist restarted (media sequence " + playlist.endSequence()
                            + " after " + next + ")");
                }
                for (long seq = Math.max(next, playlist.firstSequence()); seq < playlist.endSequence(); seq++) {
                    if (stop.getCount() == 0) {
                        return;
                    }
                    URI segment = playlist.segments().get((int) (seq - playlist.firstSequence()));
                    sink.write(http.get(segment, headers).body());
                    sink.flush();
                    next = seq + 1;
                    progressAt = System.currentTimeMillis();
                }
                if (playlist.ended()) {
                    return;
                }
                if (System.currentTimeMillis() - progressAt > STALL_MS) {
                    throw new IOException("no new HLS segment for " + STALL_MS / 1000 + " s");
                }
                long reloadMs = Math.min(5_000, Math.max(200, (long) (playlist.targetSeconds() * 500)));
                if (stop.await(reloadMs, TimeUnit.MILLISECONDS)) { // the reload interval, or closing
                    return;
                }
                playlist = HlsPlaylist.fetch(http, playlist.url(), headers);
            }
        }
    }
}
