package dev.parley.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median of several runs with their min and max: how every figure is reported. */
public record Stats(double median, double min, double max) {

    public static Stats of(List<Double> runs) {
        List<Double> sorted = new ArrayList<>(runs);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }

    /** The p-th percentile (0–100) of samples, nearest rank. */
    public static double percentile(List<Double> samples, double p) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** {@code median [min-max]}, rounded to whole units. */
    public static String fmt(Stats s) {
        return String.format("%.0f [%.0f-%.0f]", s.median(), s.min(), s.max());
    }
}
