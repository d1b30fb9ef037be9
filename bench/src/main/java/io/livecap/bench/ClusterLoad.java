package io.livecap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.IngestClient;
import io.livecap.store.Database;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.store.JdbcLeases;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster load test (bench/cluster-load): N cheap streams (the generated Vosk tone model) pushed in real time,
 * spread round-robin over the nodes given, all on one PostgreSQL; measures what coordination costs there. Over a
 * steady window: PostgreSQL's CPU (from /proc of the server's processes), its commits and row writes per second
 * (pg_stat_database), its connections; the latency of a final's write (the nodes' own INSERT, probed 10 times a
 * second from here while the load runs) and of a stream's start (which claims its lease); afterwards the raw lease
 * claim rate (JdbcLeases, 4 threads, distinct resources). Prints and writes one JSON report.
 *
 * <p>Usage: {@code java -cp target/livecap.jar io.livecap.bench.ClusterLoad STORE_URL PG_DATA WS_BASES WAV STREAMS
 * OUT_DIR} with WS_BASES comma-separated ({@code ws://127.0.0.1:18081,...}).
 */
public final class ClusterLoad {

    private ClusterLoad() {
    }

    public static void main(String[] args) throws Exception {
        String storeUrl = args[0];
        Path pgData = Path.of(args[1]);
        String[] nodes = args[2].split(",");
        Path wav = Path.of(args[3]);
        int streams = Integer.parseInt(args[4]);
        Path out = Path.of(args[5]);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("at", Instant.now().toString());
        report.put("streams", streams);
        report.put("nodes", nodes.length);
        report.put("loadavg_before", Files.readString(Path.of("/proc/loadavg")).strip());
        report.put("cores", Runtime.getRuntime().availableProcessors());

        // read once: decoding the file per stream (ffmpeg) on a loaded machine outlasts the server's start timeout
        short[] samples = wavSamples(wav);
        List<IngestClient> sources = Collections.synchronizedList(new ArrayList<>());
        List<Long> startMs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService starters = Executors.newFixedThreadPool(8);
        long t0 = System.nanoTime();
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String base = nodes[i % nodes.length];
            String id = "load-" + i;
            started.add(starters.submit(() -> {
                IngestClient c = new IngestClient(URI.create(base + "/v1/ingest/" + id));
                long s = System.nanoTime();
                c.connect(30_000);
                c.start(new AudioFeeder().startMessage(AudioFeeder.of(samples, 16_000, 1)), 60_000);
                startMs.add((System.nanoTime() - s) / 1_000_000);
                sources.add(c);
                return null;
            }));
        }
        try {
            for (Future<?> f : started) {
                f.get(10, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            System.err.println("a stream did not start: " + e);
            System.exit(1);
        }
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        starters.shutdown();
        report.put("stream_starts_per_s", round(streams / startSeconds));
        report.put("stream_start_ms", percentiles(startMs));

        // every stream fed in real time on its own thread
        AtomicInteger fed = new AtomicInteger();
        List<Thread> feeders = new ArrayList<>();
        for (IngestClient c : sources) {
            Thread t = new Thread(() -> {
                try {
                    new AudioFeeder().realtime(true).feedChunks(AudioFeeder.of(samples, 16_000, 1), c, true);
                    fed.incrementAndGet();
                } catch (Exception e) {
                    System.err.println("feed: " + e);
                }
            }, "feed");
            t.setDaemon(true);
            t.start();
            feeders.add(t);
        }

        try (Database db = Database.open(storeUrl, "", "", 4)) {
            JdbcCaptionStore probe = new JdbcCaptionStore(db);
            Thread.sleep(10_000); // the load settles before the window opens: a bench's pacing, not a synchronisation
            Snapshot before = Snapshot.take(db, pgData);
            List<Long> writeMicros = new ArrayList<>();
            long windowNanos = TimeUnit.SECONDS.toNanos(30);
            long w0 = System.nanoTime();
            long seq = 0;
            while (System.nanoTime() - w0 < windowNanos) {
                seq++;
                Caption fin = new Caption("probe", seq, true, seq, "beep boop", List.of("beep boop"), seq * 1000,
                        seq * 1000 + 900, System.currentTimeMillis(), 0, List.of(), "en-US");
                long s = System.nanoTime();
                probe.append(fin);
                writeMicros.add((System.nanoTime() - s) / 1000);
                Thread.sleep(100); // ten probe writes a second
            }
            Snapshot after = Snapshot.take(db, pgData);
            double window = (after.nanos - before.nanos) / 1e9;
            report.put("window_s", round(window));
            report.put("store_write_ms", Map.of("p50", writeMicros.stream().sorted().toList()
                    .get(writeMicros.size() / 2) / 1000.0, "p95", percentile(writeMicros, 95) / 1000.0, "max",
                    Collections.max(writeMicros) / 1000.0, "n", writeMicros.size()));
            double cpuSeconds = (after.pgCpuTicks - before.pgCpuTicks) / 100.0;
            report.put("postgres_cpu_cores", round(cpuSeconds / window));
            report.put("postgres_cpu_ms_per_stream_second", round(cpuSeconds * 1000 / window / streams));
            double commits = (after.commits - before.commits) / window;
            report.put("postgres_commits_per_s", round(commits));
            report.put("postgres_commits_per_stream_s", round(commits / streams));
            report.put("postgres_rows_written_per_s", round((after.rowsWritten - before.rowsWritten) / window));
            report.put("postgres_rows_written_per_stream_s",
                    round((after.rowsWritten - before.rowsWritten) / window / streams));
            report.put("postgres_connections", after.connections);
            report.put("streams_live_in_window", sources.stream().filter(IngestClient::isOpen).count());

            for (Thread t : feeders) {
                t.join(TimeUnit.MINUTES.toMillis(5));
            }
            report.put("streams_fed_to_end", fed.get());
            Thread.sleep(5_000); // the last finals come in: pacing
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT stream_id) FROM final_caption"
                         + " WHERE stream_id LIKE 'load-%'")) {
                r.next();
                report.put("finals_stored", r.getLong(1));
                report.put("streams_with_finals", r.getLong(2));
            }

            report.put("lease_claims_per_s", round(claimRate(db)));
        }
        report.put("loadavg_after", Files.readString(Path.of("/proc/loadavg")).strip());
        sources.forEach(IngestClient::close);
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = out.resolve("cluster-" + Instant.now().toString().replace(":", "") + ".json");
        json.writeValue(file.toFile(), report);
        System.out.println(json.writeValueAsString(report));
        System.out.println("written: " + file);
        System.exit(0);
    }

    /** Distinct resources claimed by 4 threads for 10 s: what the lease table takes, apart from the streams. */
    private static double claimRate(Database db) throws Exception {
        try (JdbcLeases leases = new JdbcLeases(db, "bench-claims", Duration.ofSeconds(15), Duration.ofSeconds(5))) {
            leases.start("127.0.0.1:0");
            AtomicInteger claimed = new AtomicInteger();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        if (leases.claim("bench:" + thread + "/" + i).mine()) {
                            claimed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
            pool.shutdown();
            return claimed.get() / 10.0;
        }
    }

    /** The tone file ToneBenchFiles writes: a 44-byte header, then 16 kHz mono s16le. */
    private static short[] wavSamples(Path wav) throws Exception {
        byte[] bytes = Files.readAllBytes(wav);
        java.nio.ShortBuffer pcm = java.nio.ByteBuffer.wrap(bytes, 44, bytes.length - 44)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        short[] samples = new short[pcm.remaining()];
        pcm.get(samples);
        return samples;
    }

    private record Snapshot(long nanos, long pgCpuTicks, long commits, long rowsWritten, int connections) {

        static Snapshot take(Database db, Path pgData) throws Exception {
            long nanos = System.nanoTime();
            long ticks = postgresCpuTicks(pgData);
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT SUM(xact_commit), SUM(tup_inserted + tup_updated + tup_deleted),"
                         + " (SELECT COUNT(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
                         + " FROM pg_stat_database")) {
                r.next();
                return new Snapshot(nanos, ticks, r.getLong(1), r.getLong(2), r.getInt(3));
            }
        }

        /** utime + stime of the postmaster (first line of postmaster.pid) and of every process it forked. */
        static long postgresCpuTicks(Path pgData) throws Exception {
            String postmaster = Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip();
            long ticks = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        String pid = p.getFileName().toString();
                        if (pid.equals(postmaster) || f[1].equals(postmaster)) {
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (Exception gone) {
                        // the process ended meanwhile
                    }
                }
            }
            return ticks;
        }
    }

    private static Map<String, Object> percentiles(List<Long> values) {
        return Map.of("p50", percentile(values, 50), "p95", percentile(values, 95), "max", Collections.max(values));
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
