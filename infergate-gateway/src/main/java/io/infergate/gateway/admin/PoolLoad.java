package io.infergate.gateway.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.scale.PoolReading;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code GET /admin/pools/{pool}/load}: one gateway's reading of a pool, for an
 * autoscaler in its own process. The gateway writes it and {@code RemoteScalingTarget} reads it, both
 * with Jackson, so the two sides cannot drift apart.
 *
 * <pre>{@code
 * {"pool": "chat", "models": ["llama-3.1-8b-instruct"], "queued": 3, "completed_requests": 18211,
 *  "endpoints": [{"endpoint": {...}, "load": {...}, "in_flight": 33}]}
 * }</pre>
 *
 * @param pool              the pool's name
 * @param models            the models it serves
 * @param queued            requests for its models waiting in the gateway's queues
 * @param completedRequests requests the gateway finished on the pool's endpoints since it started
 * @param endpoints         the pool's endpoints, those removed from the fleet left out
 */
public record PoolLoad(String pool, List<String> models, int queued,
                       @JsonProperty("completed_requests") long completedRequests, List<EndpointEntry> endpoints) {

    public PoolLoad {
        Objects.requireNonNull(pool, "pool");
        models = List.copyOf(models);
        if (queued < 0) {
            throw new IllegalArgumentException("queued: " + queued + " (expected: >= 0)");
        }
        if (completedRequests < 0) {
            throw new IllegalArgumentException("completed_requests: " + completedRequests + " (expected: >= 0)");
        }
        endpoints = List.copyOf(endpoints);
    }

    /** The gateway's answer for {@code pool}, from its own reading. */
    public static PoolLoad of(String pool, List<String> models, PoolReading reading, SaturationThresholds saturation) {
        FleetSnapshot fleet = reading.fleet();
        List<EndpointEntry> endpoints = new ArrayList<>();
        for (int slot = 0; slot < fleet.size(); slot++) {
            if (fleet.endpoint(slot).pool().equals(pool) && fleet.load(slot).lifecycle() != Lifecycle.REMOVED) {
                endpoints.add(EndpointEntry.of(fleet, reading.inFlight(), slot, saturation));
            }
        }
        return new PoolLoad(pool, models, reading.queued(), reading.completedRequests(), endpoints);
    }
}
