package io.livecap.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.livecap.alerts.AlertKind;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/grafana/livecap.json and deploy/prometheus/livecap-alerts.yml parse, and every metric they query is one a
 * real node exports: the names are checked against {@code /metrics} scraped while a stream is live (so every
 * per-stream series exists), as is the metric the Kubernetes autoscaler scales on. And every alert the console
 * raises has its Prometheus rule. The container files are checked as far as no container runtime is needed (see
 * {@link #theContainerFilesHangTogether}).
 */
class DeployFilesTest {

    private static final Pattern METRIC = Pattern.compile("\\blivecap_[a-z0-9_]+");
    private static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDashboardAndTheAlertRulesNameOnlyMetricsLivecapExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("deploy/grafana/livecap.json").toFile());
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/prometheus/livecap-alerts.yml")
                .toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(panel.path("targets").size() > 0, "panel " + panel.path("title") + " has no query");
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        List<String> ruleNames = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                ruleNames.add(rule.path("alert").asText());
                queries.add(rule.path("expr").asText());
            }
        }
        assertTrue(queries.size() >= 20, "dashboard panels and rules: " + queries.size() + " queries");
        for (AlertKind kind : AlertKind.values()) {
            assertTrue(queries.stream().anyMatch(q -> q.contains("livecap_alerts_active{kind=\"" + kind.wireName()
                    + "\"}")), "no Prometheus rule for the console's " + kind.wireName() + " alert");
        }
        assertEquals(ruleNames.size(), new TreeSet<>(ruleNames).size(), "rule names repeat: " + ruleNames);

        Set<String> used = new TreeSet<>(DeploymentFiles.autoscalerMetrics());
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            boolean any = false;
            while (m.find()) {
                used.add(m.group());
                any = true;
            }
            assertTrue(any, "a query that names no livecap metric: " + q);
        }

        ScriptedSpeechEngine engine = ScriptedSpeechEngine.of("the@300-420 committee@420-900 will@900-1100 meet@1100-1500");
        AudioFeeder feeder = new AudioFeeder().realtime(true);
        short[] tone = new short[48_000 * 2 * 3];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (3000 * Math.sin(i / 2 * 2 * Math.PI * 440 / 48_000.0));
        }
        AudioFeeder.Source audio = AudioFeeder.of(tone, 48_000, 2);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), engine)) {
            StreamRun run = new StreamRun(node, "deploy", feeder).open(audio);
            feeder.feedChunks(audio, run.source(), false); // live, not ended: the per-stream series exist now
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/no-such"))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()); // one error, so errors by code exist
            Set<String> exported = awaitExported(node, used);
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(exported);
            assertTrue(missing.isEmpty(), "named in deploy/ but not exported: " + missing + "; exported: " + exported);
            run.source().eos();
            run.captions().awaitEos(30_000);
            assertFalse(run.finals().isEmpty(), "the stream was captioned");
        }
    }

    @Test
    void theContainerFilesHangTogether() throws Exception {
        DeploymentFiles.checkDockerfile(Path.of("deploy/Dockerfile"));
        DeploymentFiles.checkCompose(Path.of("deploy/compose.yaml"));
        DeploymentFiles.checkKubernetes(Path.of("deploy/kubernetes"));
    }

    /** Scrapes until every name in {@code wanted} is there (a stream's level comes with its first judged window). */
    private static Set<String> awaitExported(LivecapNode node, Set<String> wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        Set<String> names;
        do {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            names = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            if (names.containsAll(wanted)) {
                return names;
            }
            Thread.sleep(100); // polling a condition with a deadline
        } while (System.currentTimeMillis() < deadline);
        return names;
    }
}
