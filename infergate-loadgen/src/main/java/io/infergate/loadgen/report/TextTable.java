package io.infergate.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table with right-aligned numeric columns, for the terminal.
 *
 * <pre>{@code
 * System.out.print(TextTable.of(List.of("class", "p99 ms"), List.of(List.of("chat", "412.0"))));
 * }</pre>
 */
public final class TextTable {

    private TextTable() {
    }

    /** Renders {@code header} and {@code rows}; the first column is left-aligned, the others right-aligned. */
    public static String of(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + ": " + row.size() + " cells (expected: " + header.size() + ")");
            }
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String padded = i == 0 ? cell + " ".repeat(widths[i] - cell.length())
                        : " ".repeat(widths[i] - cell.length()) + cell;
                out.append(i == 0 ? "" : "  ").append(padded);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A number with {@code decimals} decimals, locale-independent. */
    public static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
