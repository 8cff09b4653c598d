package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;

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
        if (load.acceptsRequests()) {
            return null;
        }
        if (!load.healthy()) {
            return "unhealthy";
        }
        return switch (load.lifecycle()) {
            case STARTING -> "starting";
            case DRAINING -> "draining";
            case REMOVED -> "removed";
            case READY -> throw new IllegalStateException("a ready, healthy endpoint accepts requests");
        };
    }

    @Override
    public int retain(PickContext context, int[] slots, int count, Rejections rejections) {
        return Filter.retainPassing(this, context, slots, count, rejections);
    }
}
