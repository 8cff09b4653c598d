package io.infergate.gateway.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.infergate.core.fleet.BatchCapacity;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.flow.SaturationThresholds;

import java.util.Objects;

/**
 * An endpoint as the admin API shows it ({@code GET /admin/endpoints}, the answer to
 * {@code POST /admin/endpoints}, each entry of {@link PoolLoad}): identity, load figures, the batch
 * capacity learnt for it and the gateway's in-flight count.
 *
 * <pre>{@code
 * {"endpoint": {"id": "chat-1", "url": "http://10.0.0.5:8000", ...},
 *  "load": {"waiting": 2, "running": 31, ..., "lifecycle": "READY"},
 *  "capacity": {"requests": 32, "source": "OBSERVED"}, "in_flight": 33}
 * }</pre>
 *
 * @param endpoint the endpoint's identity and settings
 * @param load     its load figures as last scraped
 * @param capacity the requests flow control lets it hold at once: a configured
 *                 {@code flow_control.saturation.max_requests_per_endpoint}, else its batch capacity as learnt
 *                 or declared ({@link FleetSnapshot#batchCapacity}); unknown when an older gateway's answer lacks it
 * @param inFlight requests the gateway has in flight to it
 */
public record EndpointEntry(Endpoint endpoint, EndpointLoad load, BatchCapacity capacity,
                            @JsonProperty("in_flight") int inFlight) {

    public EndpointEntry {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(load, "load");
        capacity = capacity == null ? BatchCapacity.UNKNOWN : capacity;
        if (inFlight < 0) {
            throw new IllegalArgumentException("in_flight: " + inFlight + " (expected: >= 0)");
        }
    }

    /**
     * The entry of the endpoint in {@code slot} of {@code fleet}, with the capacity flow control bounds it by
     * under {@code saturation}: the configured one, else the learnt one.
     */
    public static EndpointEntry of(FleetSnapshot fleet, InFlight inFlight, int slot, SaturationThresholds saturation) {
        return new EndpointEntry(fleet.endpoint(slot), fleet.load(slot), saturation.requestBound(fleet, slot),
                inFlight.count(slot));
    }
}
