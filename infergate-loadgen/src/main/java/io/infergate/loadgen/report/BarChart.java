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

    private static final int BAR = 18;
    private static final int GROUP_GAP = 26;
    private static final int MIN_WIDTH = 480;

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
        int width = Math.max(MIN_WIDTH, ChartFrame.LEFT + ChartFrame.RIGHT + groups.size() * groupWidth);
        double max = values.stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).max().orElse(0);
        ChartFrame frame = new ChartFrame(id, "bar-chart", title, width, Svg.niceCeiling(max));
        StringBuilder svg = frame.svg();
        frame.valueAxis(yLabel);
        double baseline = frame.y(0);
        for (int g = 0; g < groups.size(); g++) {
            int gx = ChartFrame.LEFT + GROUP_GAP / 2 + g * groupWidth;
            for (int s = 0; s < series.size(); s++) {
                Double value = values.get(g).get(series.get(s));
                if (value == null) {
                    continue;
                }
                double y = frame.y(value);
                svg.append("<rect class=\"bar\" x=\"").append(gx + s * BAR).append("\" y=\"").append(Svg.f(y))
                        .append("\" width=\"").append(BAR - 2).append("\" height=\"").append(Svg.f(baseline - y))
                        .append("\" fill=\"").append(Svg.colour(s)).append("\"><title>").append(Svg.escape(series.get(s)))
                        .append(", ").append(Svg.escape(groups.get(g))).append(": ").append(Svg.number(value)).append(' ')
                        .append(Svg.escape(yLabel)).append("</title></rect>\n");
            }
            frame.categoryLabel(gx + series.size() * BAR / 2.0, groups.get(g));
        }
        frame.legend(series);
        return frame.close();
    }
}
