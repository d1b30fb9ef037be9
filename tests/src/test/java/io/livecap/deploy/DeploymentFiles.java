package io.livecap.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What can be checked of deploy/'s container files without a container runtime: they parse, what they point at
 * exists (paths a Dockerfile copies, stages, the Deployment a Service, budget or autoscaler selects), nodes and
 * workers are run as livecap runs them, probes hit livecap's health paths, and every {@code LIVECAP_*} variable is a
 * setting {@code config/livecap.yaml} documents.
 */
final class DeploymentFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> DOCKERFILE_INSTRUCTIONS = Set.of("FROM", "RUN", "COPY", "WORKDIR", "USER",
            "EXPOSE", "ENTRYPOINT", "CMD", "ENV", "ARG", "LABEL", "HEALTHCHECK");

    private DeploymentFiles() {
    }

    static void checkDockerfile(Path file) throws IOException {
        List<String> stages = new ArrayList<>();
        List<String> lastStage = new ArrayList<>();
        String joined = String.join("\n", Files.readAllLines(file)).replaceAll("\\\\\n", " ");
        for (String line : joined.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] words = trimmed.split("\\s+");
            String instruction = words[0];
            assertTrue(DOCKERFILE_INSTRUCTIONS.contains(instruction), "unknown Dockerfile instruction: " + line);
            if (instruction.equals("FROM")) {
                assertTrue(words[1].contains(":"), "a base image pinned to a tag: " + line);
                stages.add(words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "#" + stages.size());
                lastStage.clear();
            }
            lastStage.add(trimmed);
            if (instruction.equals("COPY")) {
                if (words[1].startsWith("--from=")) {
                    String stage = words[1].substring("--from=".length());
                    assertTrue(stages.subList(0, stages.size() - 1).contains(stage), "COPY from an earlier stage: "
                            + line);
                    if (words[2].endsWith("livecap.jar")) {
                        assertEquals("/src/target/livecap.jar", words[2], "the jar dist/ builds");
                    }
                } else {
                    for (int i = 1; i < words.length - 1; i++) {
                        assertTrue(Files.exists(Path.of(words[i])), "COPY of a path the repository has: " + words[i]);
                    }
                }
            }
        }
        assertEquals(2, stages.size(), "a build stage and a runtime stage: " + stages);
        String runtime = String.join("\n", lastStage);
        for (String pkg : List.of("openjdk-17-jre-headless", "ffmpeg", "libpocketsphinx3", "pocketsphinx-en-us")) {
            assertTrue(runtime.contains(pkg), "the runtime image installs " + pkg);
        }
        assertTrue(runtime.contains("-jar\", \"/opt/livecap/livecap.jar\""), "it runs the jar it copied");
        assertTrue(runtime.contains("USER livecap"), "not as root");
        String dist = Files.readString(Path.of("dist/pom.xml"));
        assertTrue(dist.contains("<outputFile>${project.basedir}/../target/livecap.jar</outputFile>"),
                "dist/ still builds target/livecap.jar");
    }

    static void checkCompose(Path file) throws IOException {
        // SnakeYAML itself (under Jackson's YAML): it resolves the anchors and merge keys compose files use
        JsonNode compose;
        try (var in = Files.newBufferedReader(file)) {
            compose = YAML.valueToTree(new org.yaml.snakeyaml.Yaml().load(in));
        }
        JsonNode services = compose.path("services");
        assertTrue(services.has("postgres"), "compose runs PostgreSQL");
        int nodes = 0;
        int workers = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            if (service.getKey().equals("postgres")) {
                continue;
            }
            JsonNode s = service.getValue();
            Path dockerfile = file.getParent().resolve(s.path("build").path("context").asText())
                    .resolve(s.path("build").path("dockerfile").asText()).normalize();
            assertTrue(Files.isRegularFile(dockerfile), service.getKey() + " builds " + dockerfile);
            assertTrue(s.path("depends_on").has("postgres"), service.getKey() + " waits for PostgreSQL");
            List<String> command = strings(s.path("command"));
            assertEquals("serve", command.get(0), service.getKey() + ": " + command);
            checkEnvironment(service.getKey(), s.path("environment"));
            assertTrue(s.path("environment").path("LIVECAP_STORE_URL").asText().startsWith("jdbc:postgresql://postgres:"),
                    service.getKey() + " uses the shared store");
            if (command.contains("--role") && command.get(command.indexOf("--role") + 1).equals("worker")) {
                workers++;
            } else {
                nodes++;
            }
        }
        assertEquals(2, nodes, "two nodes");
        assertEquals(2, workers, "two workers");
    }

    static void checkKubernetes(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                YAML.readerFor(JsonNode.class).readValues(f.toFile()).forEachRemaining(d -> docs.add((JsonNode) d));
            }
        }
        Map<String, JsonNode> deployments = new HashMap<>();
        Map<String, List<JsonNode>> byKind = new HashMap<>();
        for (JsonNode d : docs) {
            assertFalse(d.path("apiVersion").asText().isEmpty(), "apiVersion: " + d);
            assertFalse(d.path("metadata").path("name").asText().isEmpty(), "a name: " + d);
            byKind.computeIfAbsent(d.path("kind").asText(), k -> new ArrayList<>()).add(d);
            if (d.path("kind").asText().equals("Deployment")) {
                deployments.put(d.path("metadata").path("name").asText(), d);
            }
        }
        for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Secret")) {
            assertTrue(byKind.containsKey(kind), "a " + kind);
        }
        boolean worker = false;
        for (JsonNode d : deployments.values()) {
            String name = d.path("metadata").path("name").asText();
            JsonNode selector = d.path("spec").path("selector").path("matchLabels");
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            assertTrue(matches(selector, labels), name + "'s selector picks its own pods");
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
            assertNotNull(container, name + " has a container");
            List<String> args = strings(container.path("args"));
            assertEquals("serve", args.get(0), name + ": " + args);
            worker |= args.contains("--role") && args.get(args.indexOf("--role") + 1).equals("worker");
            assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText(),
                    name + "'s readiness");
            assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText(),
                    name + "'s liveness");
            String port = container.path("readinessProbe").path("httpGet").path("port").asText();
            assertTrue(container.path("ports").findValuesAsText("name").contains(port), name + " probes a port it has");
            assertTrue(args.contains("8080") && container.path("ports").get(0).path("containerPort").asInt() == 8080,
                    name + " listens where its port says");
            Map<String, String> env = new HashMap<>();
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
            checkEnvironment(name, YAML.valueToTree(env));
        }
        assertTrue(worker, "a Deployment of workers (serve --role worker)");
        for (String kind : List.of("Service", "PodDisruptionBudget")) {
            for (JsonNode d : byKind.get(kind)) {
                JsonNode selector = kind.equals("Service") ? d.path("spec").path("selector")
                        : d.path("spec").path("selector").path("matchLabels");
                assertTrue(deployments.values().stream().anyMatch(dep -> matches(selector, dep.path("spec")
                        .path("template").path("metadata").path("labels"))), kind + " "
                        + d.path("metadata").path("name").asText() + " selects pods of a Deployment here");
            }
        }
        for (JsonNode hpa : byKind.get("HorizontalPodAutoscaler")) {
            String target = hpa.path("spec").path("scaleTargetRef").path("name").asText();
            assertTrue(deployments.containsKey(target), "the autoscaler scales a Deployment here: " + target);
            assertTrue(hpa.path("spec").path("minReplicas").asInt() >= 2, "at least two of each, for failover");
        }
    }

    /** The custom metrics the autoscalers read: livecap must export them (checked against a live /metrics). */
    static Set<String> autoscalerMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("deploy/kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                YAML.readerFor(JsonNode.class).readValues(f.toFile()).forEachRemaining(d -> {
                    for (JsonNode m : ((JsonNode) d).path("spec").path("metrics")) {
                        if (m.path("type").asText().equals("Pods")) {
                            names.add(m.path("pods").path("metric").path("name").asText());
                        }
                    }
                });
            }
        }
        assertTrue(names.contains("livecap_streams_live"), "the nodes scale on live streams: " + names);
        return names;
    }

    /** Each LIVECAP_SECTION_KEY names a key of config/livecap.yaml (engine's keys pass through to the engines). */
    private static void checkEnvironment(String where, JsonNode env) throws IOException {
        JsonNode config = YAML.readTree(Path.of("config/livecap.yaml").toFile());
        for (Iterator<String> it = env.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            assertTrue(name.startsWith("LIVECAP_"), where + ": " + name);
            String rest = name.substring("LIVECAP_".length()).toLowerCase(java.util.Locale.ROOT);
            String section = null;
            for (Iterator<String> s = config.fieldNames(); s.hasNext(); ) {
                String candidate = s.next();
                if (rest.startsWith(candidate + "_")) {
                    section = candidate;
                }
            }
            if (section == null) {
                fail(where + ": " + name + " names no section of config/livecap.yaml");
            }
            String key = rest.substring(section.length() + 1);
            assertTrue(section.equals("engine") || config.path(section).has(key),
                    where + ": " + name + " is not a setting of config/livecap.yaml (" + section + "." + key + ")");
        }
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
