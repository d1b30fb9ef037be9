package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.auth.Authenticator;
import io.livecap.auth.Grant;
import io.livecap.auth.Minted;
import io.livecap.auth.Role;
import io.livecap.captions.Json;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /v1/tokens}: minting ({@code POST}), listing ({@code GET}) and revoking ({@code DELETE /v1/tokens/{id}})
 * credentials. Stream tokens (publish = ingest, read = captions-read, for one stream) are an operator's; API keys
 * (a role on every stream) are the admin's alone. The secret is in the 201 answer and nowhere else, ever.
 */
final class TokenApi {

    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    record Answer(HttpResponseStatus status, Object body) {
        static Answer error(HttpResponseStatus status, String code, String message) {
            return new Answer(status, Map.of("error", message, "code", code));
        }
    }

    private final Authenticator authenticator;

    TokenApi(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** @param caller who asked; null with auth off (a lab: everything allowed) */
    Answer answer(HttpMethod method, String path, String body, Grant caller) {
        if (path.equals("/v1/tokens")) {
            if (method == HttpMethod.POST) {
                return mint(body, caller);
            }
            if (method == HttpMethod.GET) {
                if (!isOperator(caller)) {
                    return forbidden("listing tokens needs role operator or admin");
                }
                List<Map<String, Object>> rows = authenticator.list().stream()
                        .filter(g -> isAdmin(caller) || g.isStreamToken()).map(Grant::toJson).toList();
                return new Answer(HttpResponseStatus.OK, Map.of("tokens", rows));
            }
            return Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    method + " is not allowed here; use GET or POST");
        }
        String id = path.substring("/v1/tokens/".length());
        if (method != HttpMethod.DELETE) {
            return Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    method + " is not allowed here; use DELETE");
        }
        Grant target = authenticator.find(id).orElse(null);
        if (target == null) {
            return Answer.error(HttpResponseStatus.NOT_FOUND, "not_found", "no live credential " + id);
        }
        if (!(target.isStreamToken() ? isOperator(caller) : isAdmin(caller))) {
            return forbidden(target.isStreamToken() ? "revoking a stream token needs role operator or admin"
                    : "revoking a key needs role admin");
        }
        authenticator.revoke(id);
        log.info("credential {} ({} {}) revoked by {}", id, target.role().wireName(),
                target.isStreamToken() ? "token for " + target.streamId() : "key", caller == null ? "-" : caller.id());
        return new Answer(HttpResponseStatus.OK, Map.of("id", id, "revoked", true));
    }

    /** {@code {"role":"ingest","stream_id":"ev42","label":"..."}}, or {@code "scope":"publish"|"read"} for a token. */
    private Answer mint(String text, Grant caller) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        String usage = "body must be JSON like {\"stream_id\":\"ev42\",\"scope\":\"publish\"} (or \"read\"),"
                + " or {\"role\":\"operator\"} for a key";
        if (body == null || !body.isObject()) {
            return Answer.error(HttpResponseStatus.BAD_REQUEST, "bad_request", usage);
        }
        String stream = body.path("stream_id").asText(null);
        Role role;
        try {
            String scope = body.path("scope").asText(null);
            if (scope != null) {
                role = switch (scope) {
                    case "publish" -> Role.INGEST;
                    case "read" -> Role.CAPTIONS_READ;
                    default -> throw new IllegalArgumentException("scope must be publish or read, got " + scope);
                };
            } else if (body.hasNonNull("role")) {
                role = Role.parse(body.get("role").asText());
            } else {
                return Answer.error(HttpResponseStatus.BAD_REQUEST, "bad_request", usage);
            }
            if (stream != null && !ID.matcher(stream).matches()) {
                throw new IllegalArgumentException("stream ids are 1-128 characters of A-Z a-z 0-9 . _ -");
            }
            String label = body.path("label").asText(null);
            if (label != null && label.length() > 200) {
                throw new IllegalArgumentException("label is at most 200 characters");
            }
            if (stream == null && body.has("scope")) {
                throw new IllegalArgumentException("a publish or read token needs a stream_id");
            }
            if (stream == null ? !isAdmin(caller) : !isOperator(caller)) {
                return forbidden(stream == null ? "minting a key needs role admin"
                        : "minting a stream token needs role operator or admin");
            }
            Minted minted = authenticator.mint(role, stream, label);
            log.info("credential {} ({} {}) minted by {}", minted.grant().id(), role.wireName(),
                    stream == null ? "key" : "token for " + stream, caller == null ? "-" : caller.id());
            Map<String, Object> answer = new LinkedHashMap<>(minted.grant().toJson());
            answer.put("token", minted.secret());
            answer.put("use", "Authorization: Bearer <token>, or ?token=<token> on the URL");
            return new Answer(HttpResponseStatus.CREATED, answer);
        } catch (IllegalArgumentException e) {
            return Answer.error(HttpResponseStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
    }

    private static Answer forbidden(String reason) {
        return Answer.error(HttpResponseStatus.FORBIDDEN, "forbidden", reason);
    }

    private boolean isAdmin(Grant caller) {
        return caller == null ? !authenticator.enabled() : caller.role() == Role.ADMIN;
    }

    private boolean isOperator(Grant caller) {
        return isAdmin(caller) || (caller != null && caller.role() == Role.OPERATOR);
    }
}
