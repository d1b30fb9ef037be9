package io.livecap.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's own endpoints, for a vendor rehearsing by hand (each maps onto a {@link ReachSandbox} method):
 * <pre>
 * GET  /sandbox/report
 * POST /sandbox/cancel?region=us&amp;task=1000
 * POST /sandbox/expire?region=us&amp;task=1000[&amp;at=UNIX_SECONDS]
 * POST /sandbox/fail-extend?region=us&amp;task=1000[&amp;times=N]
 * POST /sandbox/pending?region=us&amp;count=1200
 * POST /sandbox/fault?kind=http500|stall&amp;seconds=S[&amp;hold=S]          every call, for a while
 * POST /sandbox/fault?kind=refuse|uncertain&amp;action=caption_captionasset.add[&amp;region=us&amp;task=1000&amp;times=1]
 *                                                     the next calls of one action (uncertain: done, then HTTP 500)
 * POST /sandbox/assets?queued=S[&amp;outcome=ready|error&amp;region=us&amp;task=1000]
 *                                                     assets stay QUEUED S seconds after setContent, then READY/ERROR
 * POST /sandbox/foreign?region=us&amp;count=1200          PENDING VOD caption tasks: not a Live vendor's
 * POST /sandbox/region?name=eu
 * </pre>
 */
final class AdminHandler implements HttpHandler {

    private final ReachSandbox sandbox;

    AdminHandler(ReachSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean post = exchange.getRequestMethod().equals("POST");
            try {
                if (path.equals("/sandbox/report") && !post) {
                    ApiHandler.send(exchange, 200, "application/json",
                            Sandbox.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sandbox.report()));
                    return;
                }
                if (!post) {
                    ApiHandler.send(exchange, 405, "text/plain", "use POST for sandbox actions");
                    return;
                }
                String answer = switch (path) {
                    case "/sandbox/cancel" -> {
                        region(query).cancel(taskId(query));
                        yield "cancelled";
                    }
                    case "/sandbox/expire" -> {
                        SandboxRegion region = region(query);
                        Instant at = query.containsKey("at") ? Instant.ofEpochSecond(Long.parseLong(query.get("at")))
                                : Instant.now();
                        region.setAccessKeyExpiry(taskId(query), at);
                        yield "the access key expires at " + at;
                    }
                    case "/sandbox/fail-extend" -> {
                        int times = Integer.parseInt(query.getOrDefault("times", "1"));
                        region(query).failExtends(taskId(query), times);
                        yield "the next " + times + " extendAccessKey call(s) fail";
                    }
                    case "/sandbox/pending" -> {
                        List<Long> ids = region(query).addPendingTasks(Integer.parseInt(need(query, "count")));
                        yield "added " + ids.size() + " pending tasks";
                    }
                    case "/sandbox/fault" -> {
                        if (query.containsKey("action")) {
                            ActionFault.Kind kind = switch (need(query, "kind")) {
                                case "refuse", "http500" -> ActionFault.Kind.REFUSE;
                                case "uncertain" -> ActionFault.Kind.UNCERTAIN;
                                default -> throw new IllegalArgumentException(
                                        "an aimed fault's kind is refuse or uncertain");
                            };
                            Long task = query.containsKey("task") ? taskId(query) : null;
                            region(query).injectFault(new ActionFault(kind, query.get("action"), task,
                                    Integer.parseInt(query.getOrDefault("times", "1"))));
                            yield "fault aimed at " + query.get("action");
                        }
                        Duration length = Duration.ofMillis(Math.round(Double.parseDouble(need(query, "seconds")) * 1000));
                        Fault fault = switch (need(query, "kind")) {
                            case "http500" -> Fault.http500(length);
                            case "stall" -> Fault.stall(length, Duration.ofMillis(
                                    Math.round(Double.parseDouble(query.getOrDefault("hold", "60")) * 1000)));
                            default -> throw new IllegalArgumentException("kind must be http500 or stall");
                        };
                        sandbox.injectFaults(fault);
                        yield "fault scheduled";
                    }
                    case "/sandbox/assets" -> {
                        Duration queued = Duration.ofMillis(Math.round(Double.parseDouble(need(query, "queued")) * 1000));
                        String outcome = query.getOrDefault("outcome", "ready");
                        if (!outcome.equals("ready") && !outcome.equals("error")) {
                            throw new IllegalArgumentException("outcome must be ready or error");
                        }
                        Long task = query.containsKey("task") ? taskId(query) : null;
                        region(query).setAssetProcessing(task, new AssetProcessing(queued, outcome.equals("error")));
                        yield "caption assets stay QUEUED " + queued.toMillis() + " ms, then " + outcome.toUpperCase();
                    }
                    case "/sandbox/foreign" -> {
                        List<Long> ids = region(query).addForeignTasks(Integer.parseInt(need(query, "count")));
                        yield "added " + ids.size() + " foreign (VOD) tasks";
                    }
                    case "/sandbox/region" -> {
                        SandboxRegion region = sandbox.addRegion(need(query, "name"));
                        yield "region " + region.name() + " at " + region.serviceUrl();
                    }
                    default -> throw new IllegalArgumentException("unknown sandbox action " + path);
                };
                ApiHandler.send(exchange, 200, "text/plain", answer + "\n");
            } catch (IllegalArgumentException e) {
                ApiHandler.send(exchange, 400, "text/plain", e.getMessage() + "\n");
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private SandboxRegion region(Map<String, String> query) {
        return sandbox.region(query.getOrDefault("region", sandbox.regionNames().get(0)));
    }

    private static long taskId(Map<String, String> query) {
        return Long.parseLong(need(query, "task"));
    }

    private static String need(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return value;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }
}
