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
        // a burst of five critical requests, each dispatched and settled
        assertThat(dispatchedAtOnce("critical", 5, Headroom.of(20))).isEqualTo(5);

        // right after it, one place plus one per request of the burst is kept from lower classes
        assertThat(flow.reservedRequests(ticker.read())).isEqualTo(6);
        assertThat(dispatchedAtOnce("sheddable", 20, Headroom.of(20))).isEqualTo(14);

        // a second later the burst weighs e^-1 of itself; seconds later nothing is kept
        ticker.advance(Duration.ofSeconds(1));
        assertThat(flow.reservedRequests(ticker.read())).isEqualTo(1 + 2);
        ticker.advance(Duration.ofSeconds(4));
        assertThat(flow.reservedRequests(ticker.read())).isZero();
        // the six that waited go as soon as the room is measured again
        assertThat(flow.poll(Headroom.of(20), ticker.read())).hasSize(6);
    }

    @Test
    void aSteadyCriticalRateKeepsAboutASecondOfItsRequests() {
        // three a second for ten seconds
        for (int i = 0; i < 30; i++) {
            dispatchedAtOnce("critical", 1, Headroom.of(20));
            ticker.advance(Duration.ofMillis(333));
        }

        assertThat(flow.reservedRequests(ticker.read())).isBetween(1 + 2, 1 + 3);
    }

    @Test
    void criticalRequestsThemselvesMayUseTheReserve() {
        dispatchedAtOnce("critical", 3, Headroom.of(20));

        // four places left, all reserved: lower classes wait, critical goes
        assertThat(flow.admit(FlowRequest.of("s", "sheddable", ""), Headroom.of(4), ticker.read()))
                .isInstanceOf(Admission.Queued.class);
        assertThat(flow.admit(FlowRequest.of("c", "critical", ""), Headroom.of(4), ticker.read()))
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
