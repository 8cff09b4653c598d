package io.infergate.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

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
    /** Series with more points than this are drawn without a dot per point. */
    private static final int MAX_DOTS = 40;

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
        double maxX = 0;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                maxX = Math.max(maxX, s.xs[i]);
                maxY = Math.max(maxY, s.ys[i]);
            }
        }
        if (!categories.isEmpty()) {
            maxX = categories.size() - 1;
        }
        double xRange = maxX > 0 ? maxX : 1;
        ChartFrame frame = new ChartFrame(id, "line-chart", title, WIDTH, Svg.niceCeiling(maxY));
        StringBuilder svg = frame.svg();
        frame.valueAxis(yLabel);
        double plotWidth = frame.plotRight() - ChartFrame.LEFT;
        DoubleUnaryOperator x = v -> ChartFrame.LEFT + v / xRange * plotWidth;
        if (categories.isEmpty()) {
            for (int i = 0; i <= 5; i++) {
                double v = xRange * i / 5;
                frame.categoryLabel(x.applyAsDouble(v), Svg.number(Math.round(v * 10) / 10.0));
            }
        } else {
            for (int i = 0; i < categories.size(); i++) {
                frame.categoryLabel(x.applyAsDouble(i), categories.get(i));
            }
        }
        svg.append("<text x=\"").append((ChartFrame.LEFT + frame.plotRight()) / 2).append("\" y=\"").append(ChartFrame.HEIGHT - 8)
                .append("\" text-anchor=\"middle\" class=\"axis-label\">").append(Svg.escape(xLabel)).append("</text>\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = Svg.colour(i);
            svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\" points=\"");
            for (int j = 0; j < s.xs.length; j++) {
                svg.append(Svg.f(x.applyAsDouble(s.xs[j]))).append(',').append(Svg.f(frame.y(s.ys[j]))).append(' ');
            }
            svg.append("\"><title>").append(Svg.escape(s.name)).append("</title></polyline>\n");
            if (s.xs.length <= MAX_DOTS) {
                for (int j = 0; j < s.xs.length; j++) {
                    svg.append("<circle cx=\"").append(Svg.f(x.applyAsDouble(s.xs[j]))).append("\" cy=\"").append(Svg.f(frame.y(s.ys[j])))
                            .append("\" r=\"3\" fill=\"").append(colour).append("\"><title>").append(Svg.escape(s.name))
                            .append(": ").append(Svg.number(s.ys[j])).append(' ').append(Svg.escape(yLabel)).append("</title></circle>\n");
                }
            }
        }
        frame.legend(series.stream().map(Series::name).toList());
        return frame.close();
    }

    private record Series(String name, double[] xs, double[] ys) {
    }
}
