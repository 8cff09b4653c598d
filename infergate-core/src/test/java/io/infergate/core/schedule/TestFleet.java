package io.infergate.core.schedule;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.request.RoutingRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds small fleets for scheduler tests: endpoints in the order added, slot 0 first. */
final class TestFleet {

    static final String MODEL = "llama-3.1-8b-instruct";

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<EndpointLoad> loads = new ArrayList<>();

    static TestFleet builder() {
        return new TestFleet();
    }

    /** An endpoint serving {@link #MODEL}. */
    TestFleet endpoint(String id, EndpointLoad load) {
        return endpoint(id, load, MODEL);
    }

    TestFleet endpoint(String id, EndpointLoad load, String... models) {
        return endpoint(Endpoint.builder(id, URI.create("http://127.0.0.1:" + (8000 + endpoints.size())))
                .models(Set.of(models)).build(), load);
    }

    /** An endpoint serving {@link #MODEL} with capacity weight {@code weight}, a multi-node replica. */
    TestFleet weightedEndpoint(String id, double weight, EndpointLoad load) {
        return endpoint(Endpoint.builder(id, URI.create("http://127.0.0.1:" + (8000 + endpoints.size())))
                .models(Set.of(MODEL)).capacityWeight(weight).build(), load);
    }

    private TestFleet endpoint(Endpoint endpoint, EndpointLoad load) {
        endpoints.add(endpoint);
        loads.add(load);
        return this;
    }

    FleetSnapshot build() {
        return FleetSnapshot.of(endpoints, loads);
    }

    /** A fresh scrape of a healthy, ready endpoint taken while the gateway had nothing in flight to it. */
    static EndpointLoad scraped(int waiting, int running, double kvCacheUsage) {
        return scraped(waiting, running, kvCacheUsage, 0);
    }

    static EndpointLoad scraped(int waiting, int running, double kvCacheUsage, int inFlightAtScrape) {
        return new EndpointLoad(waiting, running, kvCacheUsage, Double.NaN, Double.NaN, inFlightAtScrape, 0L,
                false, true, Lifecycle.READY);
    }

    static RoutingRequest request(String requestId) {
        return RoutingRequest.forModel(requestId, MODEL);
    }

    /** The gateway's in-flight counters, as a plain array a test sets and increments. */
    static final class Counts implements InFlight {
        private final int[] counts;

        Counts(int... counts) {
            this.counts = counts.clone();
        }

        static Counts zeros(int endpoints) {
            return new Counts(new int[endpoints]);
        }

        @Override
        public int count(int slot) {
            return counts[slot];
        }

        void increment(int slot) {
            counts[slot]++;
        }

        void subtract(int slot, int finished) {
            counts[slot] -= finished;
        }
    }

    private TestFleet() {
    }
}
