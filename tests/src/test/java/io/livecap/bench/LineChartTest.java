package io.livecap.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {

    @Test
    void aCdfChartIsASmallPngWithItsLinesDrawn(@TempDir Path dir) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (long i = 0; i < 200; i++) {
            latencies.add(100 + (i * 37) % 900);
        }
        Path png = dir.resolve("cdf.png");
        LineChart.write(png, 860, 370, List.of(new LineChart("latency", "ms", "fraction")
                .yRange(0, 1)
                .add(new LineChart.Series("partial", LineChart.BLUE, false, LineChart.cdf(latencies), false))
                .add(new LineChart.Series("final", LineChart.ORANGE, true, LineChart.cdf(List.of(600, 900, 1400)), false))
                .guide(new LineChart.Guide("target", 500, true))));

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(860, image.getWidth());
        assertEquals(370, image.getHeight());
        assertTrue(count(image, LineChart.BLUE) > 300, "the partial CDF is drawn");
        assertTrue(count(image, LineChart.ORANGE) > 100, "the final CDF is drawn");
        assertTrue(Files.size(png) < 100_000, "small enough to commit: " + Files.size(png));
    }

    @Test
    void panelsStackOneAboveTheOther(@TempDir Path dir) throws Exception {
        LineChart a = new LineChart("a", "N", "ms")
                .add(new LineChart.Series("p95", LineChart.RED, false, List.of(new double[] {1, 300}, new double[] {4, 900})));
        LineChart b = new LineChart("b", "N", "cores")
                .add(new LineChart.Series("cpu", LineChart.GREEN, false, List.of(new double[] {1, 0.3}, new double[] {4, 1.2})));
        Path png = dir.resolve("scaling.png");
        LineChart.write(png, 600, 300, List.of(a, b));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(600, image.getHeight());
        assertTrue(count(image.getSubimage(0, 0, 600, 300), LineChart.RED) > 50, "the first panel holds its line");
        assertTrue(count(image.getSubimage(0, 300, 600, 300), LineChart.GREEN) > 50, "the second panel holds its line");
    }

    @Test
    void ticksFallOnRoundNumbers() {
        assertEquals(200, LineChart.niceStep(1000));
        assertEquals(0.2, LineChart.niceStep(1), 1e-12);
        assertEquals(500, LineChart.niceStep(3000));
    }

    private static int count(BufferedImage image, Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }
}
