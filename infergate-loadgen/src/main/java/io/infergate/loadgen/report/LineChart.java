package io.infergate.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line chart rendered as inline SVG, with axes, ticks and a legend; no script, no external resource.
 * The x axis is numeric and starts at 0, or categorical when {@link #categories} is set (x values are
 * then indexes).
 *
 * <pre>{@code
 * String svg = new LineChart("chart-throughput", "Throughput over time", "s", "req/s")
 *         .series("ok", new double[] {1, 2, 3}, new double[] {48, 51, 50})
 *         .render();
 * }</pre>
 */
public final class LineChart {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 170;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;

    private final String id;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private List<String> categories = List.of();

    /**
     * @param id     the {@code id} of the {@code <svg>} element
     * @param title  shown above the plot
     * @param xLabel unit or name of the x axis
     * @param yLabel unit or name of the y axis
     */
    public LineChart(String id, String title, String xLabel, String yLabel) {
        this.id = Objects.requireNonNull(id, "id");
        this.title = Objects.requireNonNull(title, "title");
        this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
        this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
    }

    /** Names the x positions 0, 1, 2, ... instead of numbering them. */
    public LineChart categories(List<String> labels) {
        this.categories = List.copyOf(labels);
        return this;
    }

    public LineChart series(String name, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("series '" + name + "': " + xs.length + " x values and " + ys.length
                    + " y values (expected: as many of each)");
        }
        series.add(new Series(name, xs.clone(), ys.clone()));
        return this;
    }

    public String render() {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                minX = Math.min(minX, s.xs[i]);
                maxX = Math.max(maxX, s.xs[i]);
                maxY = Math.max(maxY, s.ys[i]);
            }
        }
        minX = Math.min(0, minX);
        if (!categories.isEmpty()) {
            minX = 0;
            maxX = Math.max(1, categories.size() - 1);
        }
        if (!(maxX > minX)) {
            minX = Double.isFinite(minX) ? minX : 0;
            maxX = minX + 1;
        }
        double top = Svg.niceCeiling(maxY);
        Plot plot = new Plot(minX, maxX, top);

        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(Svg.escape(id)).append("\" class=\"chart line-chart\" xmlns=\"http://www.w3.org/2000/svg\" ")
                .append("viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Svg.escape(title)).append("\">\n");
        svg.append("<title>").append(Svg.escape(title)).append("</title>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"20\" class=\"chart-title\">").append(Svg.escape(title)).append("</text>\n");
        axes(svg, plot, minX, maxX, top);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = Svg.colour(i);
            svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\" points=\"");
            for (int j = 0; j < s.xs.length; j++) {
                svg.append(Svg.f(plot.x(s.xs[j]))).append(',').append(Svg.f(plot.y(s.ys[j]))).append(' ');
            }
            svg.append("\"><title>").append(Svg.escape(s.name)).append("</title></polyline>\n");
            if (s.xs.length <= 40) {
                for (int j = 0; j < s.xs.length; j++) {
                    svg.append("<circle cx=\"").append(Svg.f(plot.x(s.xs[j]))).append("\" cy=\"").append(Svg.f(plot.y(s.ys[j])))
                            .append("\" r=\"3\" fill=\"").append(colour).append("\"><title>").append(Svg.escape(s.name))
                            .append(": ").append(Svg.number(s.ys[j])).append(' ').append(Svg.escape(yLabel)).append("</title></circle>\n");
                }
            }
            int ly = TOP + 14 + 18 * i;
            svg.append("<rect x=\"").append(WIDTH - RIGHT + 14).append("\" y=\"").append(ly - 9)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(colour).append("\"/>")
                    .append("<text x=\"").append(WIDTH - RIGHT + 32).append("\" y=\"").append(ly + 1)
                    .append("\" class=\"legend\">").append(Svg.escape(s.name)).append("</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void axes(StringBuilder svg, Plot plot, double minX, double maxX, double top) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        svg.append("<g class=\"axes\" stroke=\"#999\">")
                .append("<line x1=\"").append(x0).append("\" y1=\"").append(y0).append("\" x2=\"").append(x1).append("\" y2=\"").append(y0).append("\"/>")
                .append("<line x1=\"").append(x0).append("\" y1=\"").append(TOP).append("\" x2=\"").append(x0).append("\" y2=\"").append(y0).append("\"/>")
                .append("</g>\n");
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = plot.y(v);
            svg.append("<line x1=\"").append(x0).append("\" y1=\"").append(Svg.f(y)).append("\" x2=\"").append(x1)
                    .append("\" y2=\"").append(Svg.f(y)).append("\" stroke=\"#eee\"/>")
                    .append("<text x=\"").append(x0 - 6).append("\" y=\"").append(Svg.f(y + 4))
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(Svg.number(v)).append("</text>\n");
        }
        if (categories.isEmpty()) {
            for (int i = 0; i <= 5; i++) {
                double v = minX + (maxX - minX) * i / 5;
                svg.append("<text x=\"").append(Svg.f(plot.x(v))).append("\" y=\"").append(y0 + 16)
                        .append("\" text-anchor=\"middle\" class=\"tick\">").append(Svg.number(Math.round(v * 10) / 10.0)).append("</text>\n");
            }
        } else {
            for (int i = 0; i < categories.size(); i++) {
                svg.append("<text x=\"").append(Svg.f(plot.x(i))).append("\" y=\"").append(y0 + 16)
                        .append("\" text-anchor=\"middle\" class=\"tick\">").append(Svg.escape(categories.get(i))).append("</text>\n");
            }
        }
        svg.append("<text x=\"").append((x0 + x1) / 2).append("\" y=\"").append(HEIGHT - 8)
                .append("\" text-anchor=\"middle\" class=\"axis-label\">").append(Svg.escape(xLabel)).append("</text>\n");
        svg.append("<text x=\"14\" y=\"").append((TOP + y0) / 2).append("\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 14 ")
                .append((TOP + y0) / 2).append(")\">").append(Svg.escape(yLabel)).append("</text>\n");
    }

    private record Series(String name, double[] xs, double[] ys) {
    }

    /** Maps data coordinates to the plot area. */
    private record Plot(double minX, double maxX, double maxY) {
        double x(double v) {
            return LEFT + (v - minX) / (maxX - minX) * (WIDTH - LEFT - RIGHT);
        }

        double y(double v) {
            return HEIGHT - BOTTOM - v / maxY * (HEIGHT - TOP - BOTTOM);
        }
    }
}
