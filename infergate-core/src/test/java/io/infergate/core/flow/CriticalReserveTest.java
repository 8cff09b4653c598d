package io.infergate.core.flow;

import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CriticalReserveTest {

    private final FakeTicker ticker = new FakeTicker();
    private final FlowController<String> flow = new FlowController<>(FlowPolicy.defaults());

    @Test
    void withNoCriticalTrafficLowerClassesMayUseTheWholePool() {
        assertThat(flow.reservedRequests(ticker.read())).isZero();

        assertThat(dispatchedAtOnce("sheddable", 20, Headroom.of(20))).isEqualTo(20);
    }

    @Test
    void theReserveGrowsWithACriticalBurstAndShrinksAfterIt() {
        // a busy pool with no critical traffic: nothing reserved
        assertThat(dispatchedAtOnce("sheddable", 20, Headroom.of(40))).isEqualTo(20);
        assertThat(flow.reservedRequests(ticker.read())).isZero();

        // a burst of ten critical requests: 10/s arriving while the pool dispatches 15/s
        assertThat(dispatchedAtOnce("critical", 10, Headroom.of(40))).isEqualTo(10);

        // twice the two thirds of a critical request expected while one place frees
        assertThat(flow.reservedRequests(ticker.read())).isEqualTo(2);
        assertThat(dispatchedAtOnce("sheddable", 20, Headroom.of(10))).as("of ten places, two kept free").isEqualTo(8);

        // a second later the burst weighs e^-1 of itself; six seconds after it, nothing is kept
        ticker.advance(Duration.ofSeconds(1));
        assertThat(flow.reservedRequests(ticker.read())).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(5));
        assertThat(flow.reservedRequests(ticker.read())).isZero();
        // the twelve that waited go as soon as the room is measured again
        assertThat(flow.poll(Headroom.of(20), ticker.read())).hasSize(12);
    }

    @Test
    void aTrickleOfCriticalInABusyPoolKeepsOnePlace() {
        // for ten seconds, a request every 50 ms, every seventh of them critical: 2.9 critical a second in 20
        for (int i = 0; i < 200; i++) {
            dispatchedAtOnce(i % 7 == 0 ? "critical" : "sheddable", 1, Headroom.of(1000));
            ticker.advance(Duration.ofMillis(50));
        }

        assertThat(flow.reservedRequests(ticker.read())).isEqualTo(1);
    }

    @Test
    void criticalRequestsThemselvesMayUseTheReserve() {
        dispatchedAtOnce("critical", 3, Headroom.of(20));

        // two places left, both reserved (critical traffic alone: the most, two): lower classes wait, critical goes
        assertThat(flow.reservedRequests(ticker.read())).isEqualTo(2);
        assertThat(flow.admit(FlowRequest.of("s", "sheddable", ""), Headroom.of(2), ticker.read()))
                .isInstanceOf(Admission.Queued.class);
        assertThat(flow.admit(FlowRequest.of("c", "critical", ""), Headroom.of(2), ticker.read()))
                .isInstanceOf(Admission.Dispatch.class);
    }

    @Test
    void aFixedReserveLeavesTheMeasuredRoomAsItIs() {
        FlowController<String> fixed = new FlowController<>(FlowPolicy.builder().reservedForCritical(0.5).build());
        fixed.admit(FlowRequest.of("c", "critical", ""), Headroom.of(1), ticker.read());

        assertThat(fixed.reservedRequests(ticker.read())).isZero();
        assertThat(FlowPolicy.builder().reservedForCritical(0.5).build().reservedForCritical()).isEqualTo(0.5);
        assertThat(FlowPolicy.defaults().reservedForCritical()).isZero();
    }

    /** Admits {@code count} requests of {@code priorityClass} with {@code room} measured each time; how many went at once. */
    private int dispatchedAtOnce(String priorityClass, int count, Headroom room) {
        int dispatched = 0;
        for (int i = 0; i < count; i++) {
            if (flow.admit(FlowRequest.of(priorityClass + i, priorityClass, ""),
                    new Headroom(room.highest() - dispatched, room.lower() - dispatched), ticker.read())
                    instanceof Admission.Dispatch<String>) {
                flow.settleGrant();
                dispatched++;
            }
        }
        return dispatched;
    }
}
