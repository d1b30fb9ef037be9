package io.livecap.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain line chart drawn with Java2D: axes with round-number ticks, a legend, dashed guide lines for targets.
 * Enough for a benchmark's CDFs and scaling curves without a plotting library.
 */
final class LineChart {

    /** A line through points (x, y); with markers when there are few points, so each measurement shows. */
    record Series(String name, Color color, boolean dashed, List<double[]> points, boolean markers) {

        Series(String name, Color color, boolean dashed, List<double[]> points) {
            this(name, color, dashed, points, points.size() <= 30);
        }
    }

    /** A dashed reference line across the chart: a target, a limit. */
    record Guide(String label, double value, boolean vertical) {
    }

    static final Color BLUE = new Color(0x1f77b4);
    static final Color ORANGE = new Color(0xff7f0e);
    static final Color GREEN = new Color(0x2ca02c);
    static final Color RED = new Color(0xd62728);
    static final Color GREY = new Color(0x7f7f7f);

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Guide> guides = new ArrayList<>();
    private double[] xRange;
    private double[] yRange;
    private String offTopLabel = "off scale";

    LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    LineChart add(Series s) {
        series.add(s);
        return this;
    }

    LineChart guide(Guide g) {
        guides.add(g);
        return this;
    }

    LineChart xRange(double min, double max) {
        xRange = new double[] {min, max};
        return this;
    }

    LineChart yRange(double min, double max) {
        yRange = new double[] {min, max};
        return this;
    }

    /** What a point above a capped y axis means, written beside its marker. */
    LineChart offTopLabel(String label) {
        offTopLabel = label;
        return this;
    }

    /** The empirical CDF of a sample as a step line: (value, fraction of the sample at or below it). */
    static List<double[]> cdf(List<? extends Number> values) {
        List<Double> sorted = new Percentiles(values).sorted();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            points.add(new double[] {sorted.get(i), (double) i / sorted.size()});
            points.add(new double[] {sorted.get(i), (double) (i + 1) / sorted.size()});
        }
        return points;
    }

    /** Writes the charts one above the other into a PNG. */
    static void write(Path png, int width, int panelHeight, List<LineChart> panels) throws IOException {
        BufferedImage image = new BufferedImage(width, panelHeight * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int i = 0; i < panels.size(); i++) {
                panels.get(i).draw(g, 0, i * panelHeight, width, panelHeight);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    void draw(Graphics2D g, int left, int top, int width, int height) {
        double[] xs = xRange != null ? xRange : range(0);
        double[] ys = yRange != null ? yRange : range(1);
        double xStep = niceStep(xs[1] - xs[0]);
        double yStep = niceStep(ys[1] - ys[0]);
        Frame f = new Frame(left + 70, top + 34, width - 70 - 190, height - 34 - 50, xs, ys);

        g.setStroke(new BasicStroke(1f));
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, left + 70, top + 22);
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(new Color(0xe6e6e6));
        for (double x = Math.ceil(xs[0] / xStep) * xStep; x <= xs[1] + 1e-9; x += xStep) {
            g.drawLine(f.px(x), f.top, f.px(x), f.bottom());
        }
        for (double y = Math.ceil(ys[0] / yStep) * yStep; y <= ys[1] + 1e-9; y += yStep) {
            g.drawLine(f.left, f.py(y), f.right(), f.py(y));
        }
        g.setColor(Color.BLACK);
        g.drawRect(f.left, f.top, f.width, f.height);
        for (double x = Math.ceil(xs[0] / xStep) * xStep; x <= xs[1] + 1e-9; x += xStep) {
            String label = number(x, xStep);
            g.drawString(label, f.px(x) - fm.stringWidth(label) / 2, f.bottom() + fm.getAscent() + 4);
        }
        for (double y = Math.ceil(ys[0] / yStep) * yStep; y <= ys[1] + 1e-9; y += yStep) {
            String label = number(y, yStep);
            g.drawString(label, f.left - fm.stringWidth(label) - 6, f.py(y) + fm.getAscent() / 2 - 1);
        }
        g.drawString(xLabel, f.left + (f.width - fm.stringWidth(xLabel)) / 2, f.bottom() + 2 * fm.getHeight() + 6);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(f.top + (f.height + fm.stringWidth(yLabel)) / 2), left + 16);
        rotated.dispose();

        Graphics2D plot = (Graphics2D) g.create();
        plot.clipRect(f.left, f.top, f.width + 1, f.height + 1);
        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
        int verticals = 0;
        java.util.Set<Integer> offTopLabelled = new java.util.HashSet<>();
        for (Guide guide : guides) {
            plot.setColor(GREY);
            plot.setStroke(dashed);
            if (guide.vertical()) {
                plot.drawLine(f.px(guide.value()), f.top, f.px(guide.value()), f.bottom());
                // labels of neighbouring vertical guides would overlap: step each one down; near the right
                // edge the label goes on the line's left
                int labelWidth = fm.stringWidth(guide.label());
                int x = f.px(guide.value()) + 4 + labelWidth > f.right() ? f.px(guide.value()) - 4 - labelWidth
                        : f.px(guide.value()) + 4;
                plot.drawString(guide.label(), x, f.top + fm.getAscent() + 2 + fm.getHeight() * verticals++);
            } else {
                plot.drawLine(f.left, f.py(guide.value()), f.right(), f.py(guide.value()));
                plot.drawString(guide.label(), f.left + 4, f.py(guide.value()) - 4);
            }
        }
        for (Series s : series) {
            plot.setColor(s.color());
            plot.setStroke(stroke(s));
            Path2D line = new Path2D.Double();
            boolean started = false;
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                if (started) {
                    line.lineTo(f.x(p[0]), f.y(p[1]));
                } else {
                    line.moveTo(f.x(p[0]), f.y(p[1]));
                    started = true;
                }
            }
            plot.draw(line);
            if (s.markers()) {
                for (double[] p : s.points()) {
                    if (!Double.isFinite(p[1])) {
                        continue;
                    }
                    if (p[1] > ys[1]) {
                        // off the top of a capped axis: a triangle at the edge, and once per x what it means
                        int x = f.px(p[0]);
                        plot.fillPolygon(new int[] {x - 5, x + 5, x}, new int[] {f.top + 9, f.top + 9, f.top + 1}, 3);
                        if (offTopLabelled.add(x)) {
                            plot.setColor(GREY);
                            plot.drawString(offTopLabel, x + 7, f.top + 12);
                            plot.setColor(s.color());
                        }
                    } else {
                        plot.fillOval(f.px(p[0]) - 3, f.py(p[1]) - 3, 7, 7);
                    }
                }
            }
        }
        plot.dispose();

        int ly = f.top + 4;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(stroke(s));
            g.drawLine(f.right() + 12, ly + fm.getAscent() / 2, f.right() + 40, ly + fm.getAscent() / 2);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), f.right() + 46, ly + fm.getAscent());
            ly += fm.getHeight() + 4;
        }
    }

    private static Stroke stroke(Series s) {
        return s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {8, 5}, 0)
                : new BasicStroke(2f);
    }

    /** The data's range on one axis (0 = x, 1 = y), widened to include 0 and a margin. */
    private double[] range(int axis) {
        double min = 0;
        double max = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (Double.isFinite(p[axis])) {
                    min = Math.min(min, p[axis]);
                    max = Math.max(max, p[axis]);
                }
            }
        }
        for (Guide g : guides) {
            if (g.vertical() == (axis == 0)) {
                max = Math.max(max, g.value());
            }
        }
        if (max <= min) {
            max = min + 1;
        }
        return new double[] {min, max + (max - min) * 0.05};
    }

    /** 1, 2 or 5 times a power of ten: about five gridlines across {@code span}. */
    static double niceStep(double span) {
        double raw = span / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = raw / power;
        return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
    }

    private static String number(double value, double step) {
        value += 0.0; // no "-0"
        return step >= 1 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%." + (int) Math.ceil(-Math.log10(step)) + "f", value);
    }

    /** The plotting area and the mapping of data to pixels. */
    private record Frame(int left, int top, int width, int height, double[] xs, double[] ys) {
        int right() {
            return left + width;
        }

        int bottom() {
            return top + height;
        }

        double x(double value) {
            return left + (value - xs[0]) / (xs[1] - xs[0]) * width;
        }

        double y(double value) {
            return top + height - (value - ys[0]) / (ys[1] - ys[0]) * height;
        }

        int px(double value) {
            return (int) Math.round(x(value));
        }

        int py(double value) {
            return (int) Math.round(y(value));
        }
    }
}
