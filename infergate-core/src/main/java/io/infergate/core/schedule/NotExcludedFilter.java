package io.infergate.core.schedule;

/** Removes the endpoints the caller ruled out, e.g. those a retry of the same request already failed on. */
final class NotExcludedFilter implements Filter {

    @Override
    public String name() {
        return "not-excluded";
    }

    @Override
    public String rejection(PickContext context, int slot) {
        return context.excludedEndpointIds().contains(context.fleet().endpoint(slot).id())
                ? "excluded by the caller"
                : null;
    }

    @Override
    public int retain(PickContext context, int[] slots, int count, Rejections rejections) {
        if (context.excludedEndpointIds().isEmpty()) {
            return count;
        }
        return Filter.retainPassing(this, context, slots, count, rejections);
    }
}
