package io.livecap.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The fault periods scheduled on the API, and how many calls each kind of fault hit. */
final class Faults {

    private record Window(Fault fault, Instant from, Instant to) {
    }

    private final List<Window> windows = new ArrayList<>();
    private int http500;
    private int stalled;

    /** Schedules {@code faults} one after another, the first starting at {@code from}. */
    synchronized void schedule(Instant from, List<Fault> faults) {
        Instant start = from;
        for (Fault fault : faults) {
            Instant end = start.plus(fault.length());
            windows.add(new Window(fault, start, end));
            start = end;
        }
    }

    /** The fault a call arriving at {@code now} meets, counted as served. */
    synchronized Optional<Fault> hit(Instant now) {
        windows.removeIf(w -> !now.isBefore(w.to()));
        for (Window window : windows) {
            if (!now.isBefore(window.from())) {
                if (window.fault().kind() == Fault.Kind.HTTP_500) {
                    http500++;
                } else {
                    stalled++;
                }
                return Optional.of(window.fault());
            }
        }
        return Optional.empty();
    }

    synchronized int served(Fault.Kind kind) {
        return kind == Fault.Kind.HTTP_500 ? http500 : stalled;
    }

    synchronized ObjectNode report() {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("http500", http500);
        json.put("stalled", stalled);
        json.put("pending", windows.size());
        return json;
    }
}
