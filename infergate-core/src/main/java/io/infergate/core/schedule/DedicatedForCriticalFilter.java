package io.infergate.core.schedule;

import io.infergate.core.fleet.CapacityKind;

/**
 * Keeps {@code critical} requests off preemptible endpoints, which may vanish at short notice, as long
 * as a dedicated endpoint is among the candidates left; with none left, a critical request may still
 * use a preemptible one rather than fail. Other classes go anywhere.
 */
final class DedicatedForCriticalFilter implements Filter {

    /** The priority class kept on dedicated capacity: the default top class of flow control. */
    static final String CRITICAL = "critical";

    @Override
    public String name() {
        return "dedicated-for-critical";
    }

    @Override
    public String rejection(PickContext context, int slot) {
        return context.fleet().endpoint(slot).capacity() == CapacityKind.PREEMPTIBLE
                ? "preemptible; critical requests go to dedicated endpoints"
                : null;
    }

    @Override
    public int retain(PickContext context, int[] slots, int count, Rejections rejections) {
        if (!CRITICAL.equals(context.request().priority())) {
            return count;
        }
        for (int i = 0; i < count; i++) {
            if (context.fleet().endpoint(slots[i]).capacity() == CapacityKind.DEDICATED) {
                return Filter.retainPassing(this, context, slots, count, rejections);
            }
        }
        return count;
    }
}
