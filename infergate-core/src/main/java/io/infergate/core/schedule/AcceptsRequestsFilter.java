package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;

/**
 * Keeps the endpoints that accept requests, healthy and {@code READY} as
 * {@link EndpointLoad#acceptsRequests()} defines it, and says which of the two failed.
 */
final class AcceptsRequestsFilter implements Filter {

    @Override
    public String name() {
        return "accepts-requests";
    }

    @Override
    public String rejection(PickContext context, int slot) {
        EndpointLoad load = context.fleet().load(slot);
        if (!load.healthy()) {
            return "unhealthy";
        }
        return switch (load.lifecycle()) {
            case READY -> null;
            case STARTING -> "starting";
            case DRAINING -> "draining";
        };
    }
}
