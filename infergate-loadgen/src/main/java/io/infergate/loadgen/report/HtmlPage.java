package io.infergate.loadgen.report;

import java.util.List;

/**
 * The shell of infergate's self-contained HTML reports: inline CSS, no script, no external resource, so a
 * report opens offline from a file.
 *
 * <pre>{@code
 * String html = HtmlPage.render("Load report", "<h2>Summary</h2>" + HtmlPage.table(header, rows) + chartSvg);
 * }</pre>
 */
public final class HtmlPage {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1200px}
            h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:4px}
            table{border-collapse:collapse;font-size:.9em;margin:8px 0}
            th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}th{background:#f4f4f4}
            td:first-child,th:first-child{text-align:left}
            .meta{color:#555;font-size:.9em}.note{color:#555;font-size:.9em;max-width:900px}
            .chart{display:block;margin:12px 0;font-size:12px}.chart-title{font-weight:600;font-size:14px}
            .tick{fill:#555;font-size:11px}.axis-label{fill:#333;font-size:12px}.legend{fill:#222;font-size:12px}
            """;

    private HtmlPage() {
    }

    /** A complete page around {@code body}, which must already be HTML. */
    public static String render(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n"
                + body + "</body>\n</html>\n";
    }

    /** A table of text cells, escaped. */
    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder html = new StringBuilder("<table>\n<tr>");
        for (String h : header) {
            html.append("<th>").append(escape(h)).append("</th>");
        }
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String cell : row) {
                html.append("<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    public static String escape(String text) {
        return Svg.escape(text);
    }
}
