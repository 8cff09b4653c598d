package io.infergate.gateway.proxy;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.Pick;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.event.EndpointPicked;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.flow.FlowGate;

import java.util.HashSet;
import java.util.Set;

/**
 * Asks the scheduler for an endpoint for one attempt, avoiding the endpoints the request may not use
 * and those flow control finds without room for its class; times the pick and tells the observers
 * (the pick log of {@code /admin/picks}, the metrics). Shared by the exchanges of one {@link InferenceProxy}.
 *
 * <pre>{@code
 * if (picker.pick(routing, fleet.snapshot(), triedIds) instanceof Pick.Chosen chosen) {
 *     send(chosen.slot());
 * }
 * }</pre>
 */
final class EndpointPicker {

    private final Scheduler scheduler;
    private final FleetState fleet;
    private final FlowGate flow;
    private final ExchangeObserver observer;
    private final Ticker ticker;

    EndpointPicker(Scheduler scheduler, FleetState fleet, FlowGate flow, ExchangeObserver observer, Ticker ticker) {
        this.scheduler = scheduler;
        this.fleet = fleet;
        this.flow = flow;
        this.observer = observer;
        this.ticker = ticker;
    }

    /**
     * Picks an endpoint of {@code snapshot} for {@code routing} other than those in {@code mustAvoid} (tried
     * before, or racing) and those without room for the request's class. Which endpoints are full is
     * reckoned among those not in {@code mustAvoid}, so avoiding them never takes a candidate's place: a
     * retry whose only candidates left are full still goes to one of them rather than failing.
     */
    Pick pick(RoutingRequest routing, FleetSnapshot snapshot, Set<String> mustAvoid) {
        long pickStart = ticker.read();
        Set<String> avoided = mustAvoid;
        Set<String> full = flow.fullEndpoints(snapshot, routing.model(), routing.priority(), mustAvoid);
        if (!full.isEmpty()) {
            avoided = new HashSet<>(full);
            avoided.addAll(mustAvoid);
        }
        Pick pick = scheduler.pick(routing, snapshot, fleet, pickStart, avoided);
        long pickNanos = ticker.read() - pickStart;
        String chosenId = pick instanceof Pick.Chosen chosen ? chosen.endpointId() : null;
        observer.picked(new EndpointPicked(routing, snapshot, fleet.frozenInFlight(), pickStart, pickNanos, avoided,
                chosenId, System.currentTimeMillis()));
        return pick;
    }
}
