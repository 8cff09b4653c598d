package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.request.RoutingRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first stage of a pick, the same for every scheduler: which endpoints serving the request's
 * model may take it at all (accepting requests, not excluded by the caller, dedicated capacity for
 * the dedicated classes). The built-in schedulers run it inside their pipeline; a scheduler built
 * elsewhere in the core, such as {@code io.infergate.core.predict}'s, runs it through the public
 * methods and so filters exactly as they do.
 *
 * <pre>{@code
 * EndpointFilters filters = EndpointFilters.standard(SchedulerConfig.DEFAULT_DEDICATED_CLASSES);
 * int[] slots = filters.passing(request, fleet, inFlight, nowNanos, excluded);
 * if (slots.length == 0) {
 *     return new Pick.NoCandidate(filters.noneLeftReason(request, fleet, inFlight, nowNanos, excluded), true);
 * }
 * }</pre>
 */
public final class EndpointFilters {

    private final Filter[] filters;

    private EndpointFilters(Filter[] filters) {
        this.filters = filters;
    }

    /**
     * The filters of the built-in schedulers: {@code accepts-requests}, {@code not-excluded} and
     * {@code dedicated-for-critical} keeping {@code dedicatedClasses} off preemptible endpoints.
     */
    public static EndpointFilters standard(Set<String> dedicatedClasses) {
        return new EndpointFilters(new Filter[] {new AcceptsRequestsFilter(), new NotExcludedFilter(),
                new DedicatedForCriticalFilter(dedicatedClasses)});
    }

    /**
     * The slots of the endpoints serving {@code request.model()} that pass every filter, in slot
     * order; empty when none does (or none serves the model: tell the two apart with
     * {@link FleetSnapshot#slotsServing}).
     */
    public int[] passing(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                         Set<String> excludedEndpointIds) {
        PickContext context = new PickContext(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        int[] slots = fleet.slotsServing(request.model()).clone();
        return Arrays.copyOf(slots, retain(context, slots, slots.length, null));
    }

    /**
     * Why no endpoint serving the model passes, e.g. {@code all 3 endpoints serving model 'm' are
     * filtered out: 2 unhealthy (accepts-requests), 1 draining (accepts-requests)}: the reason of a
     * {@link Pick.NoCandidate}.
     */
    public String noneLeftReason(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                                 Set<String> excludedEndpointIds) {
        return noneLeftReason(new PickContext(request, fleet, inFlight, nowNanos, excludedEndpointIds),
                fleet.slotsServing(request.model()));
    }

    /**
     * The endpoints serving the model that a filter removed, as {@link PickExplanation} entries
     * naming the filter and the reason, in slot order.
     */
    public List<PickExplanation.Candidate> rejected(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight,
                                                    long nowNanos, Set<String> excludedEndpointIds) {
        PickContext context = new PickContext(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        int[] slots = fleet.slotsServing(request.model()).clone();
        List<PickExplanation.Candidate> rejected = new ArrayList<>();
        retain(context, slots, slots.length, (slot, filter, reason) -> rejected.add(
                new PickExplanation.Candidate(fleet.endpoint(slot).id(), filter.name(), reason, Map.of(), Double.NaN)));
        return rejected;
    }

    /**
     * Keeps, in order at the front of {@code slots}, those of {@code slots[0..count)} that pass
     * every filter; returns how many. Reports each one removed to {@code rejections} unless null.
     */
    int retain(PickContext context, int[] slots, int count, Filter.Rejections rejections) {
        int kept = count;
        for (Filter filter : filters) {
            kept = filter.retain(context, slots, kept, rejections);
        }
        return kept;
    }

    String noneLeftReason(PickContext context, int[] serving) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        retain(context, serving.clone(), serving.length,
                (slot, filter, reason) -> counts.merge(reason + " (" + filter.name() + ")", 1, Integer::sum));
        return "all " + serving.length + " endpoints serving model '" + context.request().model()
                + "' are filtered out: " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
