package io.livecap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /{region}/api_v3/service/{service}/action/{action}} with a JSON body, answered as API v3 answers:
 * the result object, or a {@code KalturaAPIException}, both with HTTP 200. Scheduled faults apply here.
 * Nothing of a request body is logged: it holds a KS.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Function<String, Optional<SandboxRegion>> regions;
    private final Faults faults;
    private final Clock clock;

    ApiHandler(Function<String, Optional<SandboxRegion>> regions, Faults faults, Clock clock) {
        this.regions = regions;
        this.faults = faults;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            // "", region, "api_v3", "service", service, "action", action
            if (parts.length != 7 || !parts[2].equals("api_v3") || !parts[3].equals("service")
                    || !parts[5].equals("action")) {
                send(exchange, 404, "text/plain", "not an API v3 path: /{region}/api_v3/service/{service}/action/{action}");
                return;
            }
            Optional<SandboxRegion> region = regions.apply(parts[1]);
            if (region.isEmpty()) {
                send(exchange, 404, "text/plain", "no region " + parts[1]);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                send(exchange, 405, "text/plain", "POST a JSON body");
                return;
            }
            JsonNode request = body(exchange);
            String service = parts[4];
            String action = parts[6];
            region.get().arrived(service, action, request);
            Optional<Fault> fault = faults.hit(clock.instant());
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.HTTP_500) {
                log.debug("sandbox {} {}.{}: injected HTTP 500", parts[1], service, action);
                send(exchange, 500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>");
                return;
            }
            Optional<ActionFault.Kind> aimed = region.get().actionFault(service, action, request);
            if (aimed.isPresent() && aimed.get() == ActionFault.Kind.REFUSE) {
                log.debug("sandbox {} {}.{}: injected HTTP 500, not carried out", parts[1], service, action);
                send(exchange, 500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>");
                return;
            }
            boolean uncertain = aimed.isPresent();
            JsonNode answer;
            try {
                answer = region.get().handle(service, action, request, fault.isPresent() || uncertain);
                log.debug("sandbox {} {}.{}: ok", parts[1], service, action);
            } catch (ApiError error) {
                answer = error.toJson();
                log.debug("sandbox {} {}.{}: {}", parts[1], service, action, error.code());
            } catch (RuntimeException e) {
                log.error("sandbox {} {}.{}: failed", parts[1], service, action, e);
                send(exchange, 500, "text/plain", "the sandbox failed on this call: " + e.getClass().getSimpleName());
                return;
            }
            if (uncertain) {
                log.debug("sandbox {} {}.{}: carried out, then answered HTTP 500", parts[1], service, action);
                send(exchange, 500, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
                return;
            }
            if (fault.isPresent()) {
                log.debug("sandbox {} {}.{}: done, answer held back {} ms", parts[1], service, action,
                        fault.get().hold().toMillis());
                hold(fault.get());
            }
            send(exchange, 200, "application/json", Sandbox.JSON.writeValueAsString(answer));
        } catch (IOException e) {
            // the client went away (after a timeout, typically): nothing to answer
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            JsonNode json = Sandbox.JSON.readTree(bytes);
            return json == null || !json.isObject() ? Sandbox.JSON.createObjectNode() : json;
        } catch (IOException e) {
            return Sandbox.JSON.createObjectNode();
        }
    }

    private static void hold(Fault fault) {
        try {
            Thread.sleep(fault.hold().toMillis()); // the fault itself: a backend too slow to answer in time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
