package io.livecap.captions;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineBreakerTest {

    private static List<String> words(String text) {
        return Arrays.asList(text.split(" "));
    }

    @Test
    void shortTextIsOneLine() {
        assertEquals(List.of("the committee will meet on tuesday"),
                LineBreaker.defaults().lines(words("the committee will meet on tuesday")));
    }

    @Test
    void linesBreakAtWordBoundariesWithinTheLimitAndAreBalanced() {
        String text = "the president said the government would raise taxes next year";
        List<String> lines = LineBreaker.defaults().lines(words(text));
        assertEquals(2, lines.size());
        lines.forEach(l -> assertTrue(l.length() <= 42, l));
        assertEquals(text, String.join(" ", lines));
        // balanced: both lines similar, not 42 + a stub
        assertTrue(Math.abs(lines.get(0).length() - lines.get(1).length()) <= 10, lines.toString());
    }

    @Test
    void cea608WidthOf32IsHonoured() {
        LineBreaker cea = new LineBreaker(32, 2);
        String text = "students should read the first three chapters before the next lecture";
        List<List<Integer>> blocks = cea.blocks(words(text));
        List<String> lines = cea.lines(words(text));
        lines.forEach(l -> assertTrue(l.length() <= 32, l));
        blocks.forEach(b -> assertTrue(b.size() <= 2));
        assertEquals(text, String.join(" ", lines));
    }

    @Test
    void longTextBecomesSeveralTwoLineBlocks() {
        String text = "today we will talk about the history of the industrial revolution and heavy rain is expected"
                + " across the north of the country this weekend";
        List<List<Integer>> blocks = LineBreaker.defaults().blocks(words(text));
        assertEquals(2, blocks.size());
        int total = blocks.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum();
        assertEquals(words(text).size(), total);
    }

    @Test
    void aWordLongerThanALineGetsALineOfItsOwn() {
        List<String> lines = new LineBreaker(10, 2).lines(words("see https://example.org/very/long now"));
        assertEquals(List.of("see", "https://example.org/very/long", "now"), lines);
    }
}
