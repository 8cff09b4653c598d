package io.infergate.core.schedule;

import io.infergate.core.fleet.CapacityKind;

import java.util.Set;

/**
 * Keeps requests of the dedicated classes ({@code critical} by default) off preemptible endpoints,
 * which may vanish at short notice, as long as a dedicated endpoint is among the candidates left; with
 * none left, such a request may still use a preemptible one rather than fail. Other classes go anywhere.
 */
final class DedicatedForCriticalFilter implements Filter {

    private final Set<String> dedicatedClasses;

    DedicatedForCriticalFilter(Set<String> dedicatedClasses) {
        this.dedicatedClasses = Set.copyOf(dedicatedClasses);
    }

    @Override
    public String name() {
        return "dedicated-for-critical";
    }

    @Override
    public String rejection(PickContext context, int slot) {
        return context.fleet().endpoint(slot).capacity() == CapacityKind.PREEMPTIBLE
                ? "preemptible; requests of class '" + context.request().priority() + "' go to dedicated endpoints"
                : null;
    }

    @Override
    public int retain(PickContext context, int[] slots, int count, Rejections rejections) {
        if (!dedicatedClasses.contains(context.request().priority())) {
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
