/**
 * What a load run measured, and its output formats. Start with {@link io.infergate.loadgen.report.LoadReport}
 * (per-class {@link io.infergate.loadgen.report.ClassReport}s and a per-second timeline); it is written by
 * {@link io.infergate.loadgen.report.LoadReportFiles} (JSON and HTML), {@link io.infergate.loadgen.report.LoadReportTable}
 * (terminal) and {@link io.infergate.loadgen.report.LoadReportHtml}, whose charts are {@link io.infergate.loadgen.report.LineChart}
 * and {@link io.infergate.loadgen.report.BarChart} in inline SVG.
 */
package io.infergate.loadgen.report;
