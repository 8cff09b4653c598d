package io.infergate.core.schedule;

/** Removes the endpoints the caller ruled out, e.g. those a retry of the same request already failed on. */
final class NotExcludedFilter implements Filter {

    @Override
    public String name() {
        return "not-excluded";
    }

    @Override
    public String rejection(PickContext context, int slot) {
        if (context.excludedEndpointIds().isEmpty()
                || !context.excludedEndpointIds().contains(context.fleet().endpoint(slot).id())) {
            return null;
        }
        return "excluded by the caller";
    }
}
