package io.infergate.core.flow;

import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FlowControllerTest {

    /** The defaults with nothing reserved for critical: the tests of order and bounds measure the room themselves. */
    private static final FlowPolicy NO_RESERVE = FlowPolicy.builder().reservedForCritical(0).build();

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void dispatchesAtOnceWhileThePoolHasRoom() {
        FlowController<String> flow = new FlowController<>(NO_RESERVE);

        Admission<String> admission = flow.admit(FlowRequest.of("r1", "sheddable", ""), Headroom.of(1), ticker.read());

        assertThat(admission).isInstanceOf(Admission.Dispatch.class);
        assertThat(flow.queued()).isZero();
        assertThat(flow.unsettledGrants()).isEqualTo(1);
    }

    @Test
    void servesClassesInStrictPriorityWhateverTheArrivalOrder() {
        // given a saturated pool and requests of every class, lowest first
        FlowController<String> flow = new FlowController<>(NO_RESERVE);
        for (String name : List.of("shed-1", "shed-2", "std-1", "shed-3", "crit-1", "std-2")) {
            String priority = name.startsWith("shed") ? "sheddable" : name.startsWith("std") ? "standard" : "critical";
            assertThat(flow.admit(FlowRequest.of(name, priority, ""), Headroom.NONE, ticker.read()))
                    .isInstanceOf(Admission.Queued.class);
        }

        // when capacity frees one request at a time
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            flow.poll(Headroom.of(1), ticker.read()).forEach(t -> order.add(t.payload()));
            flow.settleGrant();
        }

        // then
        assertThat(order).containsExactly("crit-1", "std-1", "std-2", "shed-1", "shed-2", "shed-3");
    }

    @Test
    void aQueueIsServedOldestFirstUntilItsOldestHasWaitedLifoAfterThenNewestFirst() {
        // given four standard requests queued 100 ms apart, in a class turning to newest first after 1 s
        FlowController<String> flow = new FlowController<>(FlowPolicy.defaults());
        for (String name : List.of("a", "b", "c", "d")) {
            flow.admit(FlowRequest.of(name, "standard", ""), Headroom.NONE, ticker.read());
            ticker.advanceMillis(100);
        }

        // when one goes at 0.5 s, while the oldest has waited less than 1 s, and two at 1.2 s
        ticker.advanceMillis(100);
        List<Ticket<String>> early = flow.poll(Headroom.of(1), ticker.read());
        flow.settleGrant();
        ticker.advanceMillis(700);
        List<Ticket<String>> late = flow.poll(Headroom.of(2), ticker.read());

        // then the first goes oldest first, the later ones newest first
        assertThat(early).extracting(Ticket::payload).containsExactly("a");
        assertThat(late).extracting(Ticket::payload).containsExactly("d", "c");
    }

    @Test
    void aClassServedFirstComeFirstServedNeverTurnsToNewestFirst() {
        FlowController<String> flow = new FlowController<>(withClasses(new PriorityClass("standard", 100,
                Duration.ofSeconds(30), false, PriorityClass.FIRST_COME_FIRST_SERVED)));
        for (String name : List.of("a", "b", "c")) {
            flow.admit(FlowRequest.of(name, "standard", ""), Headroom.NONE, ticker.read());
        }

        ticker.advanceMillis(20_000);

        assertThat(flow.poll(Headroom.of(3), ticker.read())).extracting(Ticket::payload).containsExactly("a", "b", "c");
    }

    @Test
    void lowerClassesWaitWhileAHigherOneWaitsEvenWithRoomForThem() {
        FlowController<String> flow = new FlowController<>(NO_RESERVE);
        flow.admit(FlowRequest.of("crit", "critical", ""), Headroom.NONE, ticker.read());
        flow.admit(FlowRequest.of("std", "standard", ""), Headroom.NONE, ticker.read());

        // room for lower classes but none for critical cannot happen; room only for critical can
        List<Ticket<String>> first = flow.poll(new Headroom(1, 0), ticker.read());
        Admission<String> newcomer = flow.admit(FlowRequest.of("std-late", "standard", ""), new Headroom(5, 5), ticker.read());

        assertThat(first).extracting(Ticket::payload).containsExactly("crit");
        assertThat(newcomer).as("a newcomer does not overtake its own class's queue").isInstanceOf(Admission.Queued.class);
        assertThat(flow.queued("standard")).isEqualTo(2);
    }

    @Test
    void equallyWeightedTenantsShareEquallyWhenOneSendsThreeTimesMore() {
        Map<String, Integer> served = serveBackloggedTenants(NO_RESERVE, List.of("a", "a", "a", "b"), 1000);

        assertThat(served.get("a") / 1000.0).isCloseTo(0.5, within(0.05));
        assertThat(served.get("b") / 1000.0).isCloseTo(0.5, within(0.05));
    }

    @Test
    void tenantsWeightedThreeToOneShareThreeToOne() {
        FlowPolicy policy = FlowPolicy.builder().reservedForCritical(0).tenantWeight("a", 3).build();

        Map<String, Integer> served = serveBackloggedTenants(policy, List.of("a", "b"), 1000);

        assertThat(served.get("a") / 1000.0).isCloseTo(0.75, within(0.05));
        assertThat(served.get("b") / 1000.0).isCloseTo(0.25, within(0.05));
    }

    @Test
    void fractionalWeightsShareInProportion() {
        FlowPolicy policy = FlowPolicy.builder().reservedForCritical(0).tenantWeight("a", 0.5).tenantWeight("b", 0.25).build();

        Map<String, Integer> served = serveBackloggedTenants(policy, List.of("a", "b"), 900);

        assertThat(served.get("a") / 900.0).isCloseTo(2 / 3.0, within(0.05));
    }

    @Test
    void aQueuedRequestExpiresAtItsClassMaxWait() {
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 10, Duration.ofMillis(100), false)));
        flow.admit(FlowRequest.of("r1", "critical", ""), Headroom.NONE, ticker.read());

        ticker.advanceMillis(99);
        assertThat(flow.expire(ticker.read())).isEmpty();
        ticker.advanceMillis(1);
        List<Removal<String>> expired = flow.expire(ticker.read());

        assertThat(expired).singleElement().satisfies(removal -> {
            assertThat(removal.ticket().payload()).isEqualTo("r1");
            assertThat(removal.rejection().reason()).isEqualTo(Rejection.Reason.DEADLINE);
            assertThat(removal.rejection().status()).isEqualTo(503);
            assertThat(removal.rejection().retryAfterSeconds()).isPositive();
            assertThat(removal.rejection().message()).contains("waited 100 ms");
        });
        assertThat(flow.queued()).isZero();
        assertThat(flow.poll(Headroom.of(1), ticker.read())).isEmpty();
    }

    @Test
    void aRequestsOwnDeadlineWinsWhenItIsSooner() {
        FlowController<String> flow = new FlowController<>(NO_RESERVE);
        long now = ticker.read();
        flow.admit(FlowRequest.of("patient", "standard", ""), Headroom.NONE, now);
        flow.admit(FlowRequest.of("hurried", "standard", "").withDeadline(now + Duration.ofMillis(20).toNanos()),
                Headroom.NONE, now);

        ticker.advanceMillis(20);

        assertThat(flow.expire(ticker.read())).extracting(r -> r.ticket().payload()).containsExactly("hurried");
        assertThat(flow.queued()).isEqualTo(1);
    }

    @Test
    void aRequestThatMayNotWaitIsRejectedAtOnceWhenSaturated() {
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 10, Duration.ofSeconds(1), false),
                new PriorityClass("never-waits", 10, Duration.ZERO, true)));
        long now = ticker.read();

        Admission<String> pastDeadline = flow.admit(FlowRequest.of("r1", "critical", "").withDeadline(now), Headroom.NONE, now);
        Admission<String> noWaiting = flow.admit(FlowRequest.of("r2", "never-waits", ""), Headroom.NONE, now);
        Admission<String> withRoom = flow.admit(FlowRequest.of("r3", "never-waits", ""), Headroom.of(1), now);

        assertThat(rejection(pastDeadline).reason()).isEqualTo(Rejection.Reason.DEADLINE);
        assertThat(rejection(pastDeadline).message()).contains("deadline has passed");
        assertThat(rejection(noWaiting).reason()).isEqualTo(Rejection.Reason.DEADLINE);
        assertThat(rejection(noWaiting).message()).contains("waits at most 0 ms");
        assertThat(withRoom).isInstanceOf(Admission.Dispatch.class);
    }

    @Test
    void aFullQueueOfOneTenantAnswers503() {
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 2, Duration.ofSeconds(10), false)));
        flow.admit(FlowRequest.of("r1", "critical", ""), Headroom.NONE, ticker.read());
        flow.admit(FlowRequest.of("r2", "critical", ""), Headroom.NONE, ticker.read());

        Admission<String> third = flow.admit(FlowRequest.of("r3", "critical", ""), Headroom.NONE, ticker.read());

        assertThat(rejection(third).reason()).isEqualTo(Rejection.Reason.QUEUE_FULL);
        assertThat(rejection(third).status()).isEqualTo(503);
        assertThat(rejection(third).message()).contains("'critical'").contains("2 requests");
        assertThat(flow.queued()).isEqualTo(2);
    }

    @Test
    void aClassWithoutQueueRejectsWhileSaturated() {
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 0, Duration.ofSeconds(10), false)));

        Admission<String> admission = flow.admit(FlowRequest.of("r1", "critical", ""), Headroom.NONE, ticker.read());

        assertThat(rejection(admission).reason()).isEqualTo(Rejection.Reason.QUEUE_FULL);
    }

    @Test
    void aTenantOverItsShareOfAFullQueueIsRefusedWith429AndATenantUnderItPushesItOut() {
        // given tenant a holds all four places of a full queue
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 4, Duration.ofSeconds(10), false)));
        for (int i = 1; i <= 4; i++) {
            flow.admit(FlowRequest.of("a" + i, "critical", "a"), Headroom.NONE, ticker.read());
        }

        // when b arrives, then a again
        Admission<String> fromB = flow.admit(FlowRequest.of("b1", "critical", "b"), Headroom.NONE, ticker.read());
        Admission<String> fromA = flow.admit(FlowRequest.of("a5", "critical", "a"), Headroom.NONE, ticker.read());

        // then b took a's newest place, and a, holding 3 of 4 (its share is 2), is refused
        assertThat(fromB).isInstanceOfSatisfying(Admission.Queued.class, queued -> {
            assertThat(queued.displaced()).singleElement().satisfies(removal -> {
                assertThat(((Removal<?>) removal).ticket().payload()).isEqualTo("a4");
                assertThat(((Removal<?>) removal).rejection().status()).isEqualTo(429);
                assertThat(((Removal<?>) removal).rejection().reason()).isEqualTo(Rejection.Reason.TENANT_OVER_SHARE);
            });
        });
        assertThat(rejection(fromA).status()).isEqualTo(429);
        assertThat(rejection(fromA).message()).contains("tenant 'a' holds 3 of its 4 places");
        assertThat(rejection(fromA).retryAfterSeconds()).isPositive();
        assertThat(flow.queued()).isEqualTo(4);
    }

    @Test
    void pastThePoolWideBoundSheddableRequestsAreShedFirst() {
        FlowController<String> flow = new FlowController<>(FlowPolicy.builder().reservedForCritical(0).maxQueued(3).build());
        for (int i = 1; i <= 3; i++) {
            flow.admit(FlowRequest.of("shed-" + i, "sheddable", ""), Headroom.NONE, ticker.read());
        }

        Admission<String> critical = flow.admit(FlowRequest.of("crit", "critical", ""), Headroom.NONE, ticker.read());
        Admission<String> sheddable = flow.admit(FlowRequest.of("shed-4", "sheddable", ""), Headroom.NONE, ticker.read());

        assertThat(critical).isInstanceOfSatisfying(Admission.Queued.class, queued ->
                assertThat(queued.displaced()).singleElement().satisfies(removal -> {
                    assertThat(((Removal<?>) removal).ticket().payload()).isEqualTo("shed-3");
                    assertThat(((Removal<?>) removal).rejection().reason()).isEqualTo(Rejection.Reason.SHED);
                    assertThat(((Removal<?>) removal).rejection().status()).isEqualTo(503);
                    assertThat(((Removal<?>) removal).rejection().priorityClass()).isEqualTo("sheddable");
                }));
        assertThat(rejection(sheddable).reason()).isEqualTo(Rejection.Reason.QUEUE_FULL);
        assertThat(rejection(sheddable).message()).contains("3 requests in all classes");
        assertThat(flow.queued("critical")).isEqualTo(1);
        assertThat(flow.queued("sheddable")).isEqualTo(2);
    }

    @Test
    void criticalDispatchesAtOnceOnTheReservedShareWhileLowerClassesQueue() {
        // given room that lower classes no longer see (see SaturationThresholdsTest for the measuring)
        FlowController<String> flow = new FlowController<>(NO_RESERVE);
        Headroom reservedOnly = new Headroom(2, 0);

        Admission<String> sheddable = flow.admit(FlowRequest.of("img", "sheddable", ""), reservedOnly, ticker.read());
        Admission<String> critical = flow.admit(FlowRequest.of("fraud", "critical", ""), reservedOnly, ticker.read());

        assertThat(sheddable).isInstanceOf(Admission.Queued.class);
        assertThat(critical).isInstanceOf(Admission.Dispatch.class);
    }

    @Test
    void ungrantedRoomIsNotGivenTwice() {
        FlowController<String> flow = new FlowController<>(NO_RESERVE);
        Headroom oneMeasuredBeforeBoth = Headroom.of(1);

        Admission<String> first = flow.admit(FlowRequest.of("r1", "standard", ""), oneMeasuredBeforeBoth, ticker.read());
        Admission<String> second = flow.admit(FlowRequest.of("r2", "standard", ""), oneMeasuredBeforeBoth, ticker.read());
        flow.settleGrant();

        assertThat(first).isInstanceOf(Admission.Dispatch.class);
        assertThat(second).isInstanceOf(Admission.Queued.class);
        assertThatThrownBy(flow::settleGrant).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected: one call per Dispatch");
    }

    @Test
    void aRemovedRequestIsNeverDispatched() {
        FlowController<String> flow = new FlowController<>(NO_RESERVE);
        Admission<String> admission = flow.admit(FlowRequest.of("gone", "standard", ""), Headroom.NONE, ticker.read());
        flow.admit(FlowRequest.of("stays", "standard", ""), Headroom.NONE, ticker.read());
        Ticket<String> ticket = ((Admission.Queued<String>) admission).ticket();

        boolean removed = flow.remove(ticket);

        assertThat(removed).isTrue();
        assertThat(flow.remove(ticket)).isFalse();
        assertThat(ticket.isQueued()).isFalse();
        assertThat(flow.poll(Headroom.of(5), ticker.read())).extracting(Ticket::payload).containsExactly("stays");
        ticker.advanceMillis(60_000);
        assertThat(flow.expire(ticker.read())).isEmpty();
    }

    @Test
    void retryAfterIsTheTimeToDrainTheQueueAtTheRecentRate() {
        // given a pool that dispatched 10 requests a second for 10 seconds, then saturated with 49 waiting
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 49, Duration.ofSeconds(30), false)));
        for (int i = 0; i < 100; i++) {
            flow.admit(FlowRequest.of("warm-" + i, "critical", ""), Headroom.of(1), ticker.read());
            flow.settleGrant();
            ticker.advanceMillis(100);
        }
        for (int i = 0; i < 49; i++) {
            flow.admit(FlowRequest.of("q-" + i, "critical", ""), Headroom.NONE, ticker.read());
        }

        Admission<String> fiftieth = flow.admit(FlowRequest.of("late", "critical", ""), Headroom.NONE, ticker.read());

        // then it should come back once the 50 ahead of it and itself drained at about 10/s: 5 s
        assertThat(flow.drainRate(ticker.read())).isCloseTo(10, within(0.5));
        assertThat(rejection(fiftieth).retryAfterSeconds()).isBetween(5, 6);
    }

    @Test
    void retryAfterFallsBackToTheClassMaxWaitBeforeAnythingWasDispatched() {
        FlowController<String> flow = new FlowController<>(withClasses(
                new PriorityClass("critical", 0, Duration.ofMillis(7500), false)));

        Admission<String> admission = flow.admit(FlowRequest.of("r1", "critical", ""), Headroom.NONE, ticker.read());

        assertThat(rejection(admission).retryAfterSeconds()).isEqualTo(8);
    }

    @Test
    void anUnknownClassIsAProgrammingError() {
        FlowController<String> flow = new FlowController<>(NO_RESERVE);

        assertThatThrownBy(() -> flow.admit(FlowRequest.of("r1", "urgent", ""), Headroom.NONE, ticker.read()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("priorityClass: 'urgent' (expected one of: critical, standard, sheddable)");
    }

    /**
     * Queues ten rounds of {@code arrivalPattern} (one request per entry), then frees capacity one
     * request at a time, {@code grants} times; each served tenant sends a new request at once, so
     * every tenant stays backlogged and in first-come order the pattern's proportions would hold.
     * Returns how many requests each tenant got.
     */
    private Map<String, Integer> serveBackloggedTenants(FlowPolicy policy, List<String> arrivalPattern, int grants) {
        FlowController<String> flow = new FlowController<>(policy);
        int sent = 0;
        for (int round = 0; round < 10; round++) {
            for (String tenant : arrivalPattern) {
                flow.admit(FlowRequest.of(tenant + "-" + sent++, "standard", tenant), Headroom.NONE, ticker.read());
            }
        }
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < grants; i++) {
            Ticket<String> ticket = flow.poll(Headroom.of(1), ticker.read()).getFirst();
            flow.settleGrant();
            served.merge(ticket.tenant(), 1, Integer::sum);
            flow.admit(FlowRequest.of(ticket.tenant() + "-" + sent++, "standard", ticket.tenant()), Headroom.NONE,
                    ticker.read());
            ticker.advanceMillis(1);
        }
        return served;
    }

    private static FlowPolicy withClasses(PriorityClass... classes) {
        return FlowPolicy.builder().reservedForCritical(0).classes(List.of(classes)).defaultClass(classes[0].name()).build();
    }

    private static Rejection rejection(Admission<String> admission) {
        assertThat(admission).isInstanceOf(Admission.Rejected.class);
        return ((Admission.Rejected<String>) admission).rejection();
    }
}
