package io.livecap.audio;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a stereo source becomes the mono signal the recogniser hears (docs/ARCHITECTURE.md, "Audio health").
 * {@link #AUTO} lets {@link AudioHealth} choose; the others are what an operator can force on a live stream.
 */
public enum ChannelStrategy {
    /** Let the health monitor pick: normally {@link #SUM}, a repair when it finds a fault. */
    AUTO("auto"),
    /** (L + R) / 2; with more than two channels, the average of all of them (5.1 keeps its centre dialogue). */
    SUM("sum"),
    LEFT("left"),
    RIGHT("right"),
    /** (L - R) / 2: undoes a right channel wired in opposite phase. */
    INVERT_RIGHT("invert-right"),
    /**
     * Exchange L and R first, then sum. In a mono down-mix that yields the samples {@link #SUM} yields; it exists
     * because partners declare swapped feeds (Kaltura's FAQ asks for the fallback) and the declaration must show.
     */
    SWAP("swap");

    private final String wireName;

    ChannelStrategy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Reads a wire name ({@code "invert-right"}); case and surrounding blanks do not matter. */
    @JsonCreator
    public static ChannelStrategy parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ChannelStrategy strategy : values()) {
            if (strategy.wireName.equals(wanted)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown channel strategy \"" + name + "\"; valid: "
                + Arrays.stream(values()).map(ChannelStrategy::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
