package io.livecap.bench;

import java.util.List;

/**
 * Least-squares line through points: is latency growing over a run, how much memory does each added stream cost.
 * A single point or points with one x give a slope of NaN (nothing to say).
 */
public record LinearFit(double slope, double intercept) {

    public static LinearFit of(List<double[]> points) {
        int n = points.size();
        double sx = 0;
        double sy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        double slope = n < 2 || sxx == 0 ? Double.NaN : sxy / sxx;
        return new LinearFit(slope, Double.isNaN(slope) ? my : my - slope * mx);
    }
}
