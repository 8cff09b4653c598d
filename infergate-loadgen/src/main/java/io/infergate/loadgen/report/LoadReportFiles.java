package io.infergate.loadgen.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a load report to a directory as {@code report.json} and {@code report.html}.
 *
 * <pre>{@code
 * LoadReportFiles.Written files = LoadReportFiles.write(report, Path.of("out"));
 * System.err.println("report: " + files.html());
 * }</pre>
 */
public final class LoadReportFiles {

    /** The files written. */
    public record Written(Path json, Path html) {
    }

    private LoadReportFiles() {
    }

    public static Written write(LoadReport report, Path dir) {
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("report.html");
        try {
            Files.createDirectories(dir);
            ReportJson.MAPPER.writeValue(json.toFile(), report);
            Files.writeString(html, LoadReportHtml.render(report));
        } catch (IOException e) {
            throw new UncheckedIOException("report in " + dir + ": cannot write (" + e.getMessage() + ")", e);
        }
        return new Written(json, html);
    }
}
