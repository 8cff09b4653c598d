package io.infergate.gateway.proxy;

import io.infergate.core.health.EjectionCause;
import io.infergate.core.health.HealthEvent;
import io.vertx.core.Context;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells every event loop of the data plane that an endpoint was ejected as down, so that the attempts
 * still waiting there for a response head are given up at once and retried elsewhere, instead of waiting
 * for their per-try timeout. Down means ejected for failed probes, failures in a row or a stall; an endpoint
 * ejected for its error rate or its latency still answers, and its attempts under way are left to finish.
 *
 * <pre>{@code
 * EjectionWatch watch = new EjectionWatch();
 * OutlierDetector detector = OutlierDetector.builder().listener(watch::onHealthEvent).build();
 * watch.listen(Vertx.currentContext(), waits::endpointDown);   // once per event loop
 * }</pre>
 *
 * <p>Safe from any thread: {@link #onHealthEvent} only queues a task on each listening event loop, so it
 * may run in the detector's listener, which holds a lock.
 */
public final class EjectionWatch {

    private final List<Consumer<String>> loops = new CopyOnWriteArrayList<>();

    /** Calls {@code onDown} with the id of each endpoint ejected as down, on {@code context}. */
    public void listen(Context context, Consumer<String> onDown) {
        loops.add(endpointId -> context.runOnContext(v -> onDown.accept(endpointId)));
    }

    /** Hears the outlier detector's events. */
    public void onHealthEvent(HealthEvent event) {
        if (event instanceof HealthEvent.Ejected ejected && down(ejected.cause())) {
            loops.forEach(loop -> loop.accept(ejected.endpointId()));
        }
    }

    private static boolean down(EjectionCause cause) {
        return cause == EjectionCause.PROBE_FAILURES || cause == EjectionCause.CONSECUTIVE_FAILURES
                || cause == EjectionCause.STALLED;
    }
}
