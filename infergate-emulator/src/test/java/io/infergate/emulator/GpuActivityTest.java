package io.infergate.emulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GpuActivityTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void busyForOneWindowReadsOneMinusOneOverE() {
        GpuActivity gpu = new GpuActivity(0);
        gpu.observe(0, true);

        assertThat(gpu.utilisation(SECOND)).isCloseTo(1 - Math.exp(-1), within(1e-12));
        assertThat(gpu.utilisation(10 * SECOND)).as("busy for long").isCloseTo(1.0, within(1e-3));
    }

    @Test
    void anIdleEngineDecaysTowardsZeroAndAHalfBusyOneSettlesNearAHalf() {
        GpuActivity gpu = new GpuActivity(0);
        gpu.observe(0, true);
        gpu.observe(10 * SECOND, false);

        assertThat(gpu.utilisation(20 * SECOND)).isCloseTo(0.0, within(1e-3));

        for (int i = 0; i < 500; i++) { // busy 10 ms, idle 10 ms
            long start = 20 * SECOND + i * 20_000_000L;
            gpu.observe(start, true);
            gpu.observe(start + 10_000_000L, false);
        }
        assertThat(gpu.utilisation(30 * SECOND)).isCloseTo(0.5, within(0.01));
    }

    @Test
    void dramActivityRisesWithTheBatch() {
        assertThat(EmulatedGpu.dramActive(1.0, 1, 256)).isCloseTo(0.45, within(0.01));
        assertThat(EmulatedGpu.dramActive(1.0, 256, 256)).isEqualTo(0.90);
        assertThat(EmulatedGpu.dramActive(0.5, 256, 256)).isEqualTo(0.45);
    }
}
