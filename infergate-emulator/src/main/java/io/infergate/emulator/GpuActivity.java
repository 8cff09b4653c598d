package io.infergate.emulator;

/**
 * How busy the emulated GPU has been, the way NVML and DCGM report it: the share of recent wall-clock
 * time during which the engine had a step running, smoothed exponentially over about a second (NVML
 * averages utilisation over a sample period of 1/6 s to 1 s, depending on the product). The engine is
 * busy whenever it holds a request: continuous batching runs steps back to back. Used from the
 * server's event loop only.
 *
 * <pre>{@code
 * GpuActivity gpu = new GpuActivity(ticker.read());
 * gpu.observe(ticker.read(), engineHasWork);   // after every change of the engine's state
 * double utilisation = gpu.utilisation(ticker.read());
 * }</pre>
 */
final class GpuActivity {

    /** Time constant of the smoothing. */
    static final long WINDOW_NANOS = 1_000_000_000L;

    private long lastNanos;
    private boolean busy;
    private double utilisation;

    GpuActivity(long nowNanos) {
        this.lastNanos = nowNanos;
    }

    /** The engine is {@code busy} from now on (it was in the state last observed until now). */
    void observe(long nowNanos, boolean busy) {
        advance(nowNanos);
        this.busy = busy;
    }

    /** Smoothed share of time busy, 0..1. */
    double utilisation(long nowNanos) {
        advance(nowNanos);
        return utilisation;
    }

    private void advance(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        double kept = Math.exp(-(double) elapsed / WINDOW_NANOS);
        utilisation = utilisation * kept + (busy ? 1 - kept : 0);
        lastNanos = nowNanos;
    }
}
