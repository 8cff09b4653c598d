package io.infergate.loadgen.arrival;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a rate schedule from a CSV file of {@code second,rate} rows: from that second on, send that
 * many requests per second. A {@code second,rate} header, blank lines and {@code #} comments are allowed.
 *
 * <pre>{@code
 * # rates.csv: a ramp, a plateau, a pause
 * second,rate
 * 0,10
 * 30,50
 * 90,0
 * 100,20
 * }</pre>
 * <pre>{@code
 * RateProfile profile = RateScheduleFile.read(Path.of("rates.csv"));
 * }</pre>
 */
public final class RateScheduleFile {

    private RateScheduleFile() {
    }

    public static RateProfile.Stepwise read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("rate schedule " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return parse(lines, file.toString());
    }

    /** Parses the rows of a schedule; {@code source} names the file in error messages. */
    public static RateProfile.Stepwise parse(List<String> lines, String source) {
        List<RateProfile.Stepwise.Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.equalsIgnoreCase("second,rate")) {
                continue;
            }
            String where = source + ":" + (i + 1);
            String[] cells = line.split(",");
            if (cells.length != 2) {
                throw new IllegalArgumentException(where + ": '" + line + "' (expected: second,rate)");
            }
            try {
                steps.add(new RateProfile.Stepwise.Step(
                        Double.parseDouble(cells[0].strip()), Double.parseDouble(cells[1].strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": '" + line + "': " + e.getMessage()
                        + " (expected: two numbers, second,rate)", e);
            }
        }
        try {
            return new RateProfile.Stepwise(steps);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
