package io.infergate.loadgen.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A grouped bar chart rendered as inline SVG: one group per category, one bar per series in each group,
 * each value in its bar's tooltip. No script, no external resource.
 *
 * <pre>{@code
 * String svg = new BarChart("chart-p99", "p99 latency by class", "ms")
 *         .group("chat-short", Map.of("nginx-rr", 812.0, "infergate", 301.0))
 *         .render();
 * }</pre>
 */
public final class BarChart {

    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 170;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;
    private static final int BAR = 18;
    private static final int GROUP_GAP = 26;

    private final String id;
    private final String title;
    private final String yLabel;
    private final List<String> groups = new ArrayList<>();
    private final List<Map<String, Double>> values = new ArrayList<>();
    private final Set<String> seriesNames = new LinkedHashSet<>();

    public BarChart(String id, String title, String yLabel) {
        this.id = Objects.requireNonNull(id, "id");
        this.title = Objects.requireNonNull(title, "title");
        this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
    }

    /** Adds a group of bars: series name → value. Series keep the order they first appear in. */
    public BarChart group(String name, Map<String, Double> valuesBySeries) {
        groups.add(name);
        values.add(Map.copyOf(valuesBySeries));
        seriesNames.addAll(valuesBySeries.keySet());
        return this;
    }

    public String render() {
        List<String> series = List.copyOf(seriesNames);
        int groupWidth = Math.max(1, series.size()) * BAR + GROUP_GAP;
        int width = Math.max(480, LEFT + RIGHT + groups.size() * groupWidth);
        double max = values.stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).max().orElse(0);
        double top = Svg.niceCeiling(max);
        int y0 = HEIGHT - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(Svg.escape(id)).append("\" class=\"chart bar-chart\" xmlns=\"http://www.w3.org/2000/svg\" ")
                .append("viewBox=\"0 0 ").append(width).append(' ').append(HEIGHT).append("\" width=\"").append(width)
                .append("\" height=\"").append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Svg.escape(title)).append("\">\n");
        svg.append("<title>").append(Svg.escape(title)).append("</title>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"20\" class=\"chart-title\">").append(Svg.escape(title)).append("</text>\n");
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = y0 - v / top * (y0 - TOP);
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(Svg.f(y)).append("\" x2=\"").append(width - RIGHT)
                    .append("\" y2=\"").append(Svg.f(y)).append("\" stroke=\"").append(i == 0 ? "#999" : "#eee").append("\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(Svg.f(y + 4))
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(Svg.number(v)).append("</text>\n");
        }
        for (int g = 0; g < groups.size(); g++) {
            int gx = LEFT + GROUP_GAP / 2 + g * groupWidth;
            for (int s = 0; s < series.size(); s++) {
                Double value = values.get(g).get(series.get(s));
                if (value == null) {
                    continue;
                }
                double h = value / top * (y0 - TOP);
                int x = gx + s * BAR;
                svg.append("<rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(Svg.f(y0 - h))
                        .append("\" width=\"").append(BAR - 2).append("\" height=\"").append(Svg.f(h))
                        .append("\" fill=\"").append(Svg.colour(s)).append("\"><title>").append(Svg.escape(series.get(s)))
                        .append(", ").append(Svg.escape(groups.get(g))).append(": ").append(Svg.number(value)).append(' ')
                        .append(Svg.escape(yLabel)).append("</title></rect>\n");
            }
            svg.append("<text x=\"").append(gx + series.size() * BAR / 2).append("\" y=\"").append(y0 + 16)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(Svg.escape(groups.get(g))).append("</text>\n");
        }
        for (int s = 0; s < series.size(); s++) {
            int ly = TOP + 14 + 18 * s;
            svg.append("<rect x=\"").append(width - RIGHT + 14).append("\" y=\"").append(ly - 9)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(Svg.colour(s)).append("\"/>")
                    .append("<text x=\"").append(width - RIGHT + 32).append("\" y=\"").append(ly + 1)
                    .append("\" class=\"legend\">").append(Svg.escape(series.get(s))).append("</text>\n");
        }
        svg.append("<text x=\"14\" y=\"").append((TOP + y0) / 2).append("\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 14 ")
                .append((TOP + y0) / 2).append(")\">").append(Svg.escape(yLabel)).append("</text>\n");
        svg.append("</svg>\n");
        return svg.toString();
    }
}
