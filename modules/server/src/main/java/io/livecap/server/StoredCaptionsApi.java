package io.livecap.server;

import io.livecap.delivery.StoredCaptions;
import io.livecap.session.Sessions;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/captions} (the stored streams, paged: {@code ?limit=N&after=<id>}) and {@code DELETE
 * /v1/captions/{id}} (one stream's stored captions). Who may call them is {@link ServerAccess}'s to decide: the list
 * is an operator's, the delete an admin's.
 */
final class StoredCaptionsApi {

    private static final Logger log = LoggerFactory.getLogger(StoredCaptionsApi.class);
    private static final Pattern ONE = Pattern.compile("^/v1/captions/([A-Za-z0-9._-]{1,128})$");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** What subscribers still waiting on a deleted stream are told as their end-of-stream reason. */
    static final String DELETED = "its stored captions were deleted";

    record Answer(HttpResponseStatus status, Object body) {
        static Answer error(HttpResponseStatus status, String code, String message) {
            return new Answer(status, Map.of("error", message, "code", code));
        }
    }

    private final StoredCaptions stored;
    private final Sessions sessions;
    private final Predicate<String> needed;

    /** @param needed stream ids whose captions something beyond a live session still needs (an open REACH task) */
    StoredCaptionsApi(StoredCaptions stored, Sessions sessions, Predicate<String> needed) {
        this.stored = stored;
        this.sessions = sessions;
        this.needed = needed;
    }

    /** Whether {@code method path} is one of this API's (a GET of /v1/captions/{id} is the caption websocket's). */
    static boolean handles(HttpMethod method, String path) {
        return path.equals("/v1/captions") || (method == HttpMethod.DELETE && ONE.matcher(path).matches());
    }

    Answer answer(HttpMethod method, String path, Map<String, List<String>> query) {
        if (path.equals("/v1/captions")) {
            return method == HttpMethod.GET ? list(query) : Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", method + " is not allowed here; use GET");
        }
        Matcher one = ONE.matcher(path);
        if (!one.matches()) {
            return Answer.error(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource: " + path);
        }
        return delete(one.group(1));
    }

    private Answer list(Map<String, List<String>> query) {
        int limit;
        try {
            limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit").get(0)) : DEFAULT_LIMIT;
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return Answer.error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "limit must be an integer from 1 to " + MAX_LIMIT);
        }
        String after = query.containsKey("after") ? query.get("after").get(0) : null;
        // one more than asked tells whether there is a next page
        List<StoredCaptions.StoredStream> page = stored.list(after, limit + 1);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StoredCaptions.StoredStream s : page.subList(0, Math.min(limit, page.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stream_id", s.streamId());
            row.put("finals", s.finals());
            row.put("first_caption_at", s.firstStoredAt().toString());
            row.put("last_caption_at", s.lastStoredAt().toString());
            row.put("live", sessions.get(s.streamId()).map(session -> !session.isEnded()).orElse(false));
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("streams", rows);
        body.put("next_after", page.size() > limit ? rows.get(rows.size() - 1).get("stream_id") : null);
        return new Answer(HttpResponseStatus.OK, body);
    }

    private Answer delete(String id) {
        if (sessions.get(id).isPresent()) {
            return live(id);
        }
        if (needed.test(id)) {
            return Answer.error(HttpResponseStatus.CONFLICT, "stream_in_use", "stream " + id
                    + " belongs to an open REACH task, whose transcript is delivered from these captions");
        }
        OptionalLong removed = sessions.hub().forget(id, stored, DELETED);
        if (removed.isEmpty()) {
            return live(id);
        }
        if (removed.getAsLong() < 0) {
            return Answer.error(HttpResponseStatus.NOT_FOUND, "not_found", "nothing is stored for stream " + id);
        }
        log.info("stream {}: {} stored finals deleted by request", id, removed.getAsLong());
        return new Answer(HttpResponseStatus.OK, Map.of("stream_id", id, "deleted_finals", removed.getAsLong()));
    }

    private static Answer live(String id) {
        return Answer.error(HttpResponseStatus.CONFLICT, "stream_live", "stream " + id
                + " is live: its captions are still being stored and sent; delete them once it has ended");
    }
}
