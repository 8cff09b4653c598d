package io.infergate.core.scale;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class UtilisationSmootherTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aStepShowsAtSixtyThreePercentAfterOneWindow() {
        UtilisationSmoother smoother = new UtilisationSmoother(Duration.ofSeconds(10));
        smoother.smooth("a", 0.0, 0);

        double afterOneWindow = 0;
        for (int s = 1; s <= 10; s++) {
            afterOneWindow = smoother.smooth("a", 1.0, s * SECOND);
        }

        assertThat(afterOneWindow).isCloseTo(1 - Math.exp(-1), within(1e-9));
    }

    @Test
    void anAlternatingFigureIsSmoothedToItsMean() {
        UtilisationSmoother smoother = new UtilisationSmoother(Duration.ofSeconds(10));
        double smoothed = 0;
        for (int s = 0; s < 200; s++) {
            smoothed = smoother.smooth("a", s % 2 == 0 ? 0.6 : 1.0, s * SECOND);
        }

        assertThat(smoothed).isCloseTo(0.8, within(0.03));
    }

    @Test
    void unknownFiguresKeepTheLastValueAndForgottenNodesStartAfresh() {
        UtilisationSmoother smoother = new UtilisationSmoother(Duration.ofSeconds(10));
        assertThat(smoother.smooth("a", Double.NaN, 0)).isNaN();
        smoother.smooth("a", 0.5, 0);
        assertThat(smoother.smooth("a", Double.NaN, SECOND)).isEqualTo(0.5);

        smoother.retainOnly(Set.of("b"));

        assertThat(smoother.smooth("a", 0.9, 2 * SECOND)).isEqualTo(0.9);
    }

    @Test
    void aZeroWindowPassesFiguresThrough() {
        UtilisationSmoother smoother = new UtilisationSmoother(Duration.ZERO);
        smoother.smooth("a", 0.2, 0);

        assertThat(smoother.smooth("a", 0.9, SECOND)).isEqualTo(0.9);
    }
}
