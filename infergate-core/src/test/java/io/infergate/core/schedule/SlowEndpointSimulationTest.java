package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;

import static io.infergate.core.schedule.TestFleet.request;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny discrete-time fleet: four endpoints, one of them four times slower. Each step some requests
 * arrive and are picked; a request stays in flight for its endpoint's service time; every few steps
 * the endpoints are scraped (running = what they hold). By Little's law a slow endpoint holds more
 * requests for the same arrival rate, which is what a load-aware scheduler sees.
 */
class SlowEndpointSimulationTest {

    private static final int[] SERVICE_STEPS = {4, 4, 4, 16};
    private static final int SLOW = 3;
    private static final int ARRIVALS_PER_STEP = 4;
    private static final int SCRAPE_EVERY_STEPS = 5;
    private static final int WARM_UP_STEPS = 100;
    private static final int STEPS = 2_100;

    @Test
    void loadAwareSendsTheSlowEndpointFarFewerRequestsThanRoundRobin() {
        // when
        int[] roundRobin = simulate(Scheduler.roundRobin());
        int[] loadAware = simulate(Scheduler.loadAware(SchedulerConfig.defaults()));

        // then round robin sends it a quarter; load-aware, matching in-flight, about 1/13
        assertThat(share(roundRobin, SLOW)).isEqualTo(0.25);
        assertThat(share(loadAware, SLOW)).isLessThan(0.125);
        assertThat(meanServiceSteps(loadAware)).isLessThan(meanServiceSteps(roundRobin));
    }

    private static int[] simulate(Scheduler scheduler) {
        TestFleet builder = TestFleet.builder();
        for (int slot = 0; slot < SERVICE_STEPS.length; slot++) {
            builder.endpoint(slot == SLOW ? "slow" : "fast-" + slot, scraped(0, 0, 0));
        }
        FleetSnapshot fleet = builder.build();
        TestFleet.Counts inFlight = TestFleet.Counts.zeros(SERVICE_STEPS.length);
        int horizon = Arrays.stream(SERVICE_STEPS).max().orElseThrow() + 1;
        int[][] finishingAt = new int[horizon][SERVICE_STEPS.length];
        int[] sent = new int[SERVICE_STEPS.length];
        int requestNumber = 0;
        for (int step = 0; step < STEPS; step++) {
            int[] finishing = finishingAt[step % horizon];
            for (int slot = 0; slot < finishing.length; slot++) {
                inFlight.subtract(slot, finishing[slot]);
                finishing[slot] = 0;
            }
            if (step % SCRAPE_EVERY_STEPS == 0) {
                for (int slot = 0; slot < SERVICE_STEPS.length; slot++) {
                    int running = inFlight.count(slot);
                    fleet = fleet.withLoad(slot, scraped(0, running, Math.min(1.0, running / 64.0), running));
                }
            }
            for (int arrival = 0; arrival < ARRIVALS_PER_STEP; arrival++) {
                Pick.Chosen pick = (Pick.Chosen) scheduler.pick(
                        request("r" + requestNumber++), fleet, inFlight, step, Set.of());
                int slot = pick.slot();
                inFlight.increment(slot);
                finishingAt[(step + SERVICE_STEPS[slot]) % horizon][slot]++;
                if (step >= WARM_UP_STEPS) {
                    sent[slot]++;
                }
            }
        }
        return sent;
    }

    private static double share(int[] sent, int slot) {
        return (double) sent[slot] / Arrays.stream(sent).sum();
    }

    private static double meanServiceSteps(int[] sent) {
        double weighted = 0;
        for (int slot = 0; slot < sent.length; slot++) {
            weighted += (double) sent[slot] * SERVICE_STEPS[slot];
        }
        return weighted / Arrays.stream(sent).sum();
    }
}
