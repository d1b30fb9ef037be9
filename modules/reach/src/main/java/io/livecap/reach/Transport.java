package io.livecap.reach;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API v3 over HTTP for one endpoint: the JSON envelope ({@code format}, {@code ks}, {@code clientTag}), retries,
 * and turning error answers into exceptions. Request bodies are never logged: they hold the KS.
 */
final class Transport {

    /**
     * One API call. An idempotent call (a read, or a write of absolute values) is retried through timeouts and 5xx;
     * one that is not ({@code caption_captionasset.add}) is retried only when it certainly never reached the server
     * (no connection), and otherwise ends in {@link ReachUncertainException}: whoever made it decides from what
     * Kaltura can be asked.
     */
    record Call(String service, String action, ObjectNode params, Secret ks, boolean withAccessKey, Long taskId,
                boolean idempotent) {

        String name() {
            return service + "." + action;
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final ReachEndpoint endpoint;
    private final RetryPolicy policy;
    private final HttpClient http;

    Transport(ReachEndpoint endpoint, RetryPolicy policy) {
        this.endpoint = endpoint;
        this.policy = policy;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(policy.connectTimeout())
                .build();
    }

    ObjectNode params() {
        return MAPPER.createObjectNode();
    }

    JsonNode call(Call call) throws ReachException {
        String where = ReachException.where(endpoint.region(), call.name(), call.taskId());
        byte[] body = body(call);
        long startNanos = System.nanoTime();
        long deadline = startNanos + policy.totalTime().toNanos();
        boolean mayHaveTakenEffect = false;
        String lastFailure = "no attempt";
        Exception lastCause = null;
        int attempt = 0;
        while (attempt < policy.maxAttempts()) {
            attempt++;
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            Duration timeout = Duration.ofNanos(Math.min(policy.requestTimeout().toNanos(), remaining));
            HttpRequest request = HttpRequest.newBuilder(endpoint.actionUrl(call.service(), call.action()))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    JsonNode result = answer(call, where, response.body());
                    io.micrometer.core.instrument.Metrics.counter("livecap.reach.calls", "result", "ok").increment();
                    log.debug("{}: ok in {} ms after {} attempt(s)", where, millisSince(startNanos), attempt);
                    return result;
                }
                if (status < 500) {
                    io.micrometer.core.instrument.Metrics.counter("livecap.reach.calls", "result", "rejected")
                            .increment();
                    throw new ReachProtocolException(where + ": unexpected HTTP " + status, endpoint.region(),
                            call.taskId(), null);
                }
                lastFailure = "HTTP " + status;
                lastCause = null;
                // a 5xx can follow work already done (a backend dying after its commit, a proxy timing out)
                mayHaveTakenEffect = true;
            } catch (HttpConnectTimeoutException | ConnectException e) {
                lastFailure = "cannot connect (" + e.getClass().getSimpleName() + ")";
                lastCause = e;
            } catch (HttpTimeoutException e) {
                lastFailure = "no answer within " + timeout.toMillis() + " ms";
                lastCause = e;
                mayHaveTakenEffect = true;
            } catch (IOException e) {
                lastFailure = "transport error (" + e.getClass().getSimpleName() + ")";
                lastCause = e;
                mayHaveTakenEffect = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReachUnavailableException(where + ": interrupted", endpoint.region(), call.taskId(), e);
            }
            io.micrometer.core.instrument.Metrics.counter("livecap.reach.calls", "result", "failed").increment();
            if (!call.idempotent() && mayHaveTakenEffect) {
                String message = where + ": outcome unknown after " + lastFailure + " (the call may have taken"
                        + " effect; not repeated)";
                log.warn(message);
                throw new ReachUncertainException(message, endpoint.region(), call.taskId(), lastCause);
            }
            if (attempt >= policy.maxAttempts()) {
                break;
            }
            Duration wait = policy.backoff(attempt);
            if (System.nanoTime() + wait.toNanos() >= deadline) {
                break;
            }
            log.warn("{}: attempt {}/{} failed: {}; retrying in {} ms", where, attempt, policy.maxAttempts(),
                    lastFailure, wait.toMillis());
            pause(wait, where, call.taskId());
        }
        String message = where + ": gave up after " + attempt + " attempt(s) in " + millisSince(startNanos)
                + " ms; last: " + lastFailure;
        log.warn(message);
        throw new ReachUnavailableException(message, endpoint.region(), call.taskId(), lastCause);
    }

    private byte[] body(Call call) {
        ObjectNode body = call.params().deepCopy();
        body.put("format", 1);
        body.put("ks", call.ks().reveal());
        body.put("clientTag", endpoint.clientTag(call.taskId()));
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON request", e);
        }
    }

    private JsonNode answer(Call call, String where, String text) throws ReachException {
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ReachProtocolException(where + ": the answer is not JSON", endpoint.region(), call.taskId(),
                    null);
        }
        if (json != null && "KalturaAPIException".equals(json.path("objectType").asText())) {
            String code = json.path("code").asText("UNKNOWN");
            String message = scrub(call, json.path("message").asText(""));
            Map<String, String> args = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = json.path("args").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                args.put(field.getKey(), scrub(call, field.getValue().asText()));
            }
            ReachApiException error = ReachApiException.of(code, message, args, endpoint.region(), call.name(),
                    call.taskId(), call.withAccessKey());
            log.debug("{}: API error {}", where, code);
            throw error;
        }
        if (json == null || json.isMissingNode()) {
            throw new ReachProtocolException(where + ": empty answer", endpoint.region(), call.taskId(), null);
        }
        return json;
    }

    /** Kaltura echoes a malformed KS in its INVALID_KS message: keep it out of messages and logs. */
    private String scrub(Call call, String text) {
        return endpoint.vendorKs().scrub(call.ks().scrub(text));
    }

    private void pause(Duration wait, String where, Long taskId) throws ReachUnavailableException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReachUnavailableException(where + ": interrupted", endpoint.region(), taskId, e);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
