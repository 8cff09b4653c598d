package io.infergate.core.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The order in which waiting requests enter the running batch, on an engine with room for one at a time. */
class SchedulingPolicyTest {

    private static final long MS = 1_000_000L;

    /** One sequence at a time, every step exactly 10 ms. */
    private static final EngineProfile ONE_AT_A_TIME = EngineProfile.builder("one-at-a-time")
            .maxNumSeqs(1).kvCacheTokens(10_000).maxModelLen(4096).defaultOutputTokens(16)
            .build().withFixedStep(Duration.ofMillis(10));

    @Test
    void priorityPolicyAdmitsLowerValuesFirstAndTiesByArrival() {
        EngineModel engine = new EngineModel(ONE_AT_A_TIME, SchedulingPolicy.PRIORITY);
        long running = engine.submit(0, 10, 5, 2);
        engine.advanceTo(0);
        long sheddable = engine.submit(MS, 10, 1, 2);
        long standard = engine.submit(2 * MS, 10, 1, 1);
        long critical = engine.submit(3 * MS, 10, 1, 0);
        long laterCritical = engine.submit(4 * MS, 10, 1, 0);

        List<Long> admitted = firstTokenOrder(EngineModelTest.runUntilIdle(engine));

        assertThat(admitted).containsExactly(running, critical, laterCritical, standard, sheddable);
    }

    @Test
    void fcfsPolicyAdmitsByArrivalWhateverThePriority() {
        EngineModel engine = new EngineModel(ONE_AT_A_TIME, SchedulingPolicy.FCFS);
        long running = engine.submit(0, 10, 5, 2);
        engine.advanceTo(0);
        long sheddable = engine.submit(MS, 10, 1, 2);
        long critical = engine.submit(2 * MS, 10, 1, 0);

        assertThat(firstTokenOrder(EngineModelTest.runUntilIdle(engine))).containsExactly(running, sheddable, critical);
    }

    @Test
    void aWaitingHigherPriorityRequestDoesNotPreemptARunningOne() {
        EngineModel engine = new EngineModel(ONE_AT_A_TIME, SchedulingPolicy.PRIORITY);
        long running = engine.submit(0, 10, 5, 9);
        engine.advanceTo(0);
        long critical = engine.submit(MS, 10, 1, 0);

        List<EngineEvent> events = EngineModelTest.runUntilIdle(engine);

        // the running request's five tokens at 10..50 ms, then the critical one is prefilled in 50..60 ms
        assertThat(events).contains(new EngineEvent.Finished(running, 50 * MS, 10, 5),
                new EngineEvent.Token(critical, 0, 60 * MS));
    }

    @Test
    void anEngineIsFirstComeFirstServedUnlessToldOtherwise() {
        assertThat(new EngineModel(ONE_AT_A_TIME).policy()).isEqualTo(SchedulingPolicy.FCFS);
    }

    private static List<Long> firstTokenOrder(List<EngineEvent> events) {
        return events.stream().filter(e -> e instanceof EngineEvent.Token token && token.first())
                .map(EngineEvent::requestId).toList();
    }
}
