package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.infergate.core.schedule.TestFleet.request;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;

class ExplainTest {

    static Stream<Arguments> schedulers() {
        return Stream.of(
                Arguments.of("load-aware max-score", (Supplier<Scheduler>) () -> Scheduler.loadAware(SchedulerConfig.defaults())),
                Arguments.of("load-aware power-of-two-choices", (Supplier<Scheduler>) () -> Scheduler.loadAware(
                        SchedulerConfig.defaults().withPicker(Picker.POWER_OF_TWO_CHOICES))),
                Arguments.of("load-aware weighted-random", (Supplier<Scheduler>) () -> Scheduler.loadAware(
                        SchedulerConfig.defaults().withWeight("in-flight", 1.0).withPicker(Picker.WEIGHTED_RANDOM))),
                Arguments.of("round-robin", (Supplier<Scheduler>) Scheduler::roundRobin),
                Arguments.of("least-in-flight", (Supplier<Scheduler>) Scheduler::leastInFlight));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void explainNamesTheEndpointPickChoosesForTheSameInputs(String description, Supplier<Scheduler> schedulers) {
        // given many random fleets with unknown, stale, unhealthy and draining endpoints
        Scheduler scheduler = schedulers.get();
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int size = 1 + random.nextInt(20);
            TestFleet builder = TestFleet.builder();
            int[] counts = new int[size];
            for (int i = 0; i < size; i++) {
                builder.endpoint("e" + i, randomLoad(random));
                counts[i] = random.nextInt(40);
            }
            FleetSnapshot fleet = builder.build();
            TestFleet.Counts inFlight = new TestFleet.Counts(counts);
            Set<String> excluded = random.nextInt(4) == 0 ? Set.of("e0") : Set.of();
            long now = random.nextLong();

            // when explaining first (round robin's explain must not advance its turn), then picking
            PickExplanation explanation = scheduler.explain(request("r" + round), fleet, inFlight, now, excluded);
            Pick pick = scheduler.pick(request("r" + round), fleet, inFlight, now, excluded);

            // then
            assertThat(explanation.scheduler()).isEqualTo(scheduler.name());
            assertThat(explanation.candidates()).hasSize(size);
            if (pick instanceof Pick.Chosen chosen) {
                assertThat(explanation.chosenId()).as("round %d", round).isEqualTo(chosen.endpointId());
                PickExplanation.Candidate explained = explanation.candidates().stream()
                        .filter(c -> c.endpointId().equals(chosen.endpointId())).findFirst().orElseThrow();
                assertThat(explained.total()).isEqualTo(chosen.score());
                assertThat(explained.filteredBy()).isNull();
            } else {
                assertThat(explanation.chosenId()).isNull();
                assertThat(explanation.candidates()).allSatisfy(c -> assertThat(c.filteredBy()).isNotNull());
            }
            List<PickExplanation.Candidate> passed = explanation.candidates().stream()
                    .filter(c -> c.filteredBy() == null).toList();
            assertThat(passed).isSortedAccordingTo(
                    Comparator.comparingDouble(PickExplanation.Candidate::total).reversed());
            assertThat(explanation.candidates().subList(passed.size(), size))
                    .allSatisfy(c -> assertThat(c.filteredBy()).isNotNull());
        }
    }

    private static EndpointLoad randomLoad(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> EndpointLoad.UNKNOWN;
            case 1 -> scraped(random.nextInt(10), random.nextInt(64), random.nextDouble()).withStale(true);
            case 2 -> scraped(0, 0, 0).withHealthy(false);
            case 3 -> scraped(0, 0, 0).withLifecycle(Lifecycle.DRAINING);
            default -> scraped(random.nextInt(10), random.nextInt(64), random.nextDouble(), random.nextInt(40));
        };
    }
}
