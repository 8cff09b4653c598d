package io.infergate.loadgen.arrival;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateScheduleFileTest {

    @Test
    void readsStepsSkippingTheHeaderCommentsAndBlankLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rates.csv");
        Files.writeString(file, "# ramp\nsecond,rate\n0,10\n\n30, 50.5\n");

        RateProfile.Stepwise steps = RateScheduleFile.read(file);

        assertThat(steps.steps()).containsExactly(new RateProfile.Stepwise.Step(0, 10), new RateProfile.Stepwise.Step(30, 50.5));
        assertThat(steps.rateAt(29.9)).isEqualTo(10);
        assertThat(steps.rateAt(1000)).isEqualTo(50.5);
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> RateScheduleFile.parse(List.of("second,rate", "0,10", "5;20"), "rates.csv"))
                .hasMessage("rates.csv:3: '5;20' (expected: second,rate)");
        assertThatThrownBy(() -> RateScheduleFile.parse(List.of("0,10", "5,-1"), "rates.csv"))
                .hasMessageStartingWith("rates.csv:2: '5,-1': rate: -1.0");
        assertThatThrownBy(() -> RateScheduleFile.parse(List.of("0,10", "5,1", "3,2"), "rates.csv"))
                .hasMessageContaining("rates.csv: steps[2]: second 3.0 (expected: greater than the previous step's 5.0)");
        assertThatThrownBy(() -> RateScheduleFile.parse(List.of("2,10"), "rates.csv"))
                .hasMessageContaining("expected: the schedule starts at second 0");
    }
}
