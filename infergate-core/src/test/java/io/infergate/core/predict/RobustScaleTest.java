package io.infergate.core.predict;

import org.junit.jupiter.api.Test;

import static io.infergate.core.predict.TestEndpoints.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RobustScaleTest {

    private final RobustScale scale = new RobustScale();
    private long now;

    @Test
    void hasNoEstimateUntilThreeSamplesThenTheirMedian() {
        // when
        add(1.0);
        add(1.2);

        // then
        assertThat(scale.estimate()).isNaN();

        // when
        add(5.0);

        // then the middle one, not the mean (2.4)
        assertThat(scale.estimate()).isCloseTo(1.2, within(1e-9));
    }

    @Test
    void isolatedWildSamplesDoNotMoveTheEstimate() {
        // given a steady factor of 2 sampled every 100 ms
        for (int i = 0; i < 16; i++) {
            add(2.0);
        }

        // when every fourth sample is 20 times off, and once two in a row are
        for (int i = 0; i < 40; i++) {
            add(i % 4 == 0 || i == 37 ? 40.0 : 2.0);
        }

        // then
        assertThat(scale.estimate()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void followsAThreeFoldSlowdownWithinFourSamples() {
        // given
        for (int i = 0; i < 16; i++) {
            add(1.0);
        }

        // when the endpoint becomes three times slower
        add(3.0);
        add(3.0);
        add(3.0);
        add(3.0);

        // then
        assertThat(scale.estimate()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void afterAQuietSpellOneSampleCannotTakeOverButTwoAgreeingOnesDo() {
        // given
        for (int i = 0; i < 16; i++) {
            add(1.0);
        }

        // when a minute later
        now += 60_000 * MS;
        add(10.0);

        // then
        assertThat(scale.estimate()).isCloseTo(1.0, within(1e-9));

        // when
        add(10.0);

        // then
        assertThat(scale.estimate()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void samplesOfZeroOrBelowCountAsFarFaster() {
        // when
        add(0);
        add(-3);
        add(0.5);

        // then clipped to a hundredth, the median of the three
        assertThat(scale.estimate()).isCloseTo(1.0 / RobustScale.MAX_FACTOR, within(1e-9));
    }

    private void add(double factor) {
        now += 100 * MS;
        scale.add(factor, now);
    }
}
