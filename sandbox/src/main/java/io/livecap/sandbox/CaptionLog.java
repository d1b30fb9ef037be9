package io.livecap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Every caption message a task's {@code captionUrl} received, and what a partner would check in them: the sequence
 * numbers (duplicates, gaps, order), which messages were final, and the end of stream.
 */
final class CaptionLog {

    /** One message as it arrived. {@code seq} is null when the message had none (or was not JSON). */
    record Message(Instant receivedAt, Long seq, boolean isFinal, String type, String text, Instant audioAt) {
    }

    private final List<Message> messages = new ArrayList<>();
    private int malformed;
    private int connections;
    /** Caption connections open now, and the most ever open at once (a vendor should hold one per task). */
    private int open;
    private int mostOpen;
    private int rejectedConnections;
    private boolean eos;

    synchronized void connected() {
        connections++;
        open++;
        mostOpen = Math.max(mostOpen, open);
    }

    synchronized void disconnected() {
        open = Math.max(0, open - 1);
    }

    synchronized void rejected() {
        rejectedConnections++;
    }

    /** Records one text message; returns it as parsed. */
    synchronized Message record(String text, Instant at) {
        Message message;
        try {
            JsonNode json = Sandbox.JSON.readTree(text);
            String type = json.path("type").asText("caption");
            Long seq = json.has("seq") && json.get("seq").canConvertToLong() ? json.get("seq").asLong() : null;
            if ("eos".equals(type)) {
                eos = true;
            } else if (seq == null) {
                malformed++;
            }
            Instant audioAt = json.path("start_epoch").canConvertToLong()
                    ? Instant.ofEpochMilli(json.get("start_epoch").asLong()) : null;
            message = new Message(at, seq, json.path("final").asBoolean(false), type, json.path("text").asText(""),
                    audioAt);
        } catch (Exception e) {
            malformed++;
            message = new Message(at, null, false, "malformed", "", null);
        }
        messages.add(message);
        notifyAll();
        return message;
    }

    synchronized void malformedBinary(Instant at) {
        malformed++;
        messages.add(new Message(at, null, false, "binary", "", null));
        notifyAll();
    }

    /** Waits until {@code count} messages have arrived; false on timeout. */
    synchronized boolean await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    synchronized int count() {
        return messages.size();
    }

    synchronized ObjectNode summary() {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        List<Long> seqs = new ArrayList<>();
        TreeSet<Long> seen = new TreeSet<>();
        TreeSet<Long> duplicates = new TreeSet<>();
        TreeSet<Long> finals = new TreeSet<>();
        int outOfOrder = 0;
        Long previous = null;
        for (Message message : messages) {
            if (message.seq() == null || "eos".equals(message.type())) {
                continue;
            }
            if (message.isFinal()) {
                finals.add(message.seq());
            }
            long seq = message.seq();
            seqs.add(seq);
            if (!seen.add(seq)) {
                duplicates.add(seq);
            }
            if (previous != null && seq < previous) {
                outOfOrder++;
            }
            previous = seq;
        }
        json.put("count", messages.size());
        json.put("captions", seqs.size());
        json.put("finals", finals.size());
        json.put("malformed", malformed);
        json.put("connections", connections);
        json.put("mostConnectionsAtOnce", mostOpen);
        json.put("rejectedConnections", rejectedConnections);
        json.put("eos", eos);
        if (!messages.isEmpty()) {
            json.put("first", messages.get(0).receivedAt().toString());
            json.put("last", messages.get(messages.size() - 1).receivedAt().toString());
        }
        ArrayNode seqList = json.putArray("seq");
        seqs.forEach(seqList::add);
        ArrayNode duplicateList = json.putArray("duplicates");
        duplicates.forEach(duplicateList::add);
        json.put("outOfOrder", outOfOrder);
        ArrayNode gaps = json.putArray("gaps");
        if (!seen.isEmpty()) {
            long expected = seen.first();
            for (long seq : seen) {
                if (seq > expected) {
                    gaps.add(expected == seq - 1 ? String.valueOf(expected) : expected + "-" + (seq - 1));
                }
                expected = seq + 1;
            }
        }
        return json;
    }
}
