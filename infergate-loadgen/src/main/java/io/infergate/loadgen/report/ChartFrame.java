package io.infergate.loadgen.report;

import java.util.List;

/**
 * The parts every chart shares: the {@code <svg>} element with its title, the plot area's margins, the
 * horizontal grid with its value ticks, the y-axis label and the legend on the right.
 */
final class ChartFrame {

    static final int HEIGHT = 320;
    static final int LEFT = 64;
    static final int RIGHT = 170;
    static final int TOP = 34;
    static final int BOTTOM = 44;
    /** Lines of the value grid, above the baseline. */
    private static final int GRID_LINES = 4;

    private final StringBuilder svg = new StringBuilder();
    private final int width;
    private final double top;

    /**
     * Opens an {@code <svg>} of {@code width} whose value axis runs from 0 to {@code top}.
     *
     * @param kind CSS class naming the chart type, e.g. {@code line-chart}
     */
    ChartFrame(String id, String kind, String title, int width, double top) {
        this.width = width;
        this.top = top;
        svg.append("<svg id=\"").append(Svg.escape(id)).append("\" class=\"chart ").append(kind)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(HEIGHT)
                .append("\" width=\"").append(width).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Svg.escape(title)).append("\">\n")
                .append("<title>").append(Svg.escape(title)).append("</title>\n")
                .append("<text x=\"").append(LEFT).append("\" y=\"20\" class=\"chart-title\">").append(Svg.escape(title))
                .append("</text>\n");
    }

    StringBuilder svg() {
        return svg;
    }

    /** The right end of the plot area. */
    int plotRight() {
        return width - RIGHT;
    }

    /** The y coordinate of {@code value}. */
    double y(double value) {
        return HEIGHT - BOTTOM - value / top * (HEIGHT - TOP - BOTTOM);
    }

    /** Grid lines with their values, a baseline, and the y-axis label. */
    void valueAxis(String label) {
        for (int i = 0; i <= GRID_LINES; i++) {
            double v = top * i / GRID_LINES;
            double y = y(v);
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(Svg.f(y)).append("\" x2=\"").append(plotRight())
                    .append("\" y2=\"").append(Svg.f(y)).append("\" stroke=\"").append(i == 0 ? "#999" : "#eee").append("\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(Svg.f(y + 4))
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(Svg.number(v)).append("</text>\n");
        }
        int middle = (TOP + HEIGHT - BOTTOM) / 2;
        svg.append("<text x=\"14\" y=\"").append(middle).append("\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 14 ")
                .append(middle).append(")\">").append(Svg.escape(label)).append("</text>\n");
    }

    /** A label under the plot at {@code x}. */
    void categoryLabel(double x, String text) {
        svg.append("<text x=\"").append(Svg.f(x)).append("\" y=\"").append(HEIGHT - BOTTOM + 16)
                .append("\" text-anchor=\"middle\" class=\"tick\">").append(Svg.escape(text)).append("</text>\n");
    }

    /** One coloured square and name per series, in series order. */
    void legend(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            int ly = TOP + 14 + 18 * i;
            svg.append("<rect x=\"").append(plotRight() + 14).append("\" y=\"").append(ly - 9)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(Svg.colour(i)).append("\"/>")
                    .append("<text x=\"").append(plotRight() + 32).append("\" y=\"").append(ly + 1)
                    .append("\" class=\"legend\">").append(Svg.escape(names.get(i))).append("</text>\n");
        }
    }

    String close() {
        return svg.append("</svg>\n").toString();
    }
}
