package io.livecap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where results go: per run {@code <date>-<engine>-<n>.json}, {@code .md} and {@code -cdf.png}; per sweep
 * {@code <date>-<engine>-scaling.md} and {@code .png}. Each Markdown is also printed.
 */
public final class BenchOutput {

    private final Path dir;
    private final ObjectMapper mapper;

    public BenchOutput(Path dir, ObjectMapper mapper) {
        this.dir = dir;
        this.mapper = mapper;
    }

    public void run(LatencyBench.Measured measured) throws IOException {
        RunResult r = measured.result();
        String base = r.date() + "-" + r.label() + "-" + r.streams();
        Files.createDirectories(dir);
        Path json = dir.resolve(base + ".json");
        mapper.writeValue(json.toFile(), r);
        String md = BenchReport.run(r) + "\n![latency CDF](" + base + "-cdf.png)\n";
        Files.writeString(dir.resolve(base + ".md"), md);
        BenchCharts.latencyCdf(measured, dir.resolve(base + "-cdf.png"));
        System.out.println(md);
        System.out.println("written: " + json + " (and .md, -cdf.png)");
    }

    public void sweep(List<RunResult> runs, String command) throws IOException {
        String base = runs.get(0).date() + "-" + runs.get(0).label() + "-scaling";
        String md = BenchReport.sweep(runs, command) + "\n![latency, CPU and memory against N](" + base + ".png)\n";
        Files.writeString(dir.resolve(base + ".md"), md);
        BenchCharts.scaling(runs, dir.resolve(base + ".png"));
        System.out.println(md);
        System.out.println("written: " + dir.resolve(base + ".md") + " (and .png)");
    }
}
