package io.infergate.loadgen.report;

import java.util.List;
import java.util.Locale;

/** Small helpers shared by the SVG charts: escaping, number formatting, axis ticks and colours. */
final class Svg {

    /** A palette that stays readable on white, cycled by series index. */
    private static final List<String> COLOURS = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    private Svg() {
    }

    static String colour(int index) {
        return COLOURS.get(index % COLOURS.size());
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A compact label for an axis tick or a value: 1234 → "1234", 0.25 → "0.25", 1.5e6 → "1.5M". */
    static String number(double x) {
        double abs = Math.abs(x);
        if (abs >= 1e6) {
            return trim(x / 1e6) + "M";
        }
        if (abs >= 1e4) {
            return trim(x / 1e3) + "k";
        }
        return trim(x);
    }

    private static String trim(double x) {
        if (x == Math.rint(x)) {
            return String.valueOf((long) x);
        }
        String s = String.format(Locale.ROOT, Math.abs(x) < 1 ? "%.3f" : "%.2f", x);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten, at least {@code max}. */
    static double niceCeiling(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String f(double x) {
        return String.format(Locale.ROOT, "%.1f", x);
    }
}
