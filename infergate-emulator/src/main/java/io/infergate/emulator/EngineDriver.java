package io.infergate.emulator;

import io.infergate.core.engine.EngineEvent;
import io.infergate.core.engine.EngineModel;
import io.infergate.core.engine.EngineStats;
import io.infergate.core.time.Ticker;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link EngineModel} against the wall clock on one event loop: virtual time is the time since
 * start multiplied by the speed, and a single timer wakes the driver when the engine's next event is
 * due. Events go to the {@link Listener} of their request. It also keeps the GPU's utilisation: busy
 * while the engine holds a request. Every method must be called on the event loop that created the
 * driver.
 */
final class EngineDriver {

    /** Receives one request's events. */
    interface Listener {

        /** Output token {@code index} is ready; index 0 is the first. */
        void token(int index);

        /** The request left the engine after its last token. */
        void finished();
    }

    private final Vertx vertx;
    private final EngineModel engine;
    private final Ticker ticker;
    private final double speed;
    private final long originNanos;
    private final GpuActivity gpu;
    private final Map<Long, Listener> listeners = new HashMap<>();
    private Timer timer;
    private long timerAtNanos;
    private boolean dispatching;
    private volatile EngineStats stats;

    EngineDriver(Vertx vertx, EngineModel engine, Ticker ticker, double speed) {
        this.vertx = vertx;
        this.engine = engine;
        this.ticker = ticker;
        this.speed = speed;
        this.originNanos = ticker.read();
        this.gpu = new GpuActivity(originNanos);
        this.stats = engine.stats();
    }

    /**
     * Hands a request of {@code priority} (see {@link EngineModel#submit(long, int, int, long)}) to the engine
     * now and returns its engine id. Its events are delivered later, never from inside this call, so the
     * caller can finish setting up first.
     */
    long submit(int promptTokens, int outputTokens, long priority, Listener listener) {
        long now = virtualNow();
        long id = engine.submit(now, promptTokens, outputTokens, priority);
        listeners.put(id, listener);
        stats = engine.stats();
        gpu.observe(ticker.read(), true);
        schedule(now);
        return id;
    }

    /** Drops a request; returns false when it had already finished or been dropped. */
    boolean abort(long id) {
        listeners.remove(id);
        boolean aborted = engine.abort(virtualNow(), id);
        pump();
        return aborted;
    }

    /** Brings the engine up to now, delivers what happened and sets the timer for what comes next. */
    void pump() {
        if (dispatching) {
            schedule(virtualNow()); // called from a listener: deliver later, in order
            return;
        }
        dispatching = true;
        try {
            for (EngineEvent event : engine.advanceTo(virtualNow())) {
                switch (event) {
                    case EngineEvent.Token token -> {
                        Listener listener = listeners.get(token.requestId());
                        if (listener != null) {
                            listener.token(token.index());
                        }
                    }
                    case EngineEvent.Finished finished -> {
                        Listener listener = listeners.remove(finished.requestId());
                        if (listener != null) {
                            listener.finished();
                        }
                    }
                }
            }
        } finally {
            dispatching = false;
        }
        stats = engine.stats();
        long next = engine.nextEventNanos();
        gpu.observe(ticker.read(), next != EngineModel.IDLE);
        if (next != EngineModel.IDLE) {
            schedule(next);
        }
    }

    /** The engine's figures as of the last pump; readable from any thread. */
    EngineStats stats() {
        return stats;
    }

    /** Smoothed share of recent wall-clock time the engine was busy, 0..1; see {@link GpuActivity}. */
    double gpuUtilisation() {
        return gpu.utilisation(ticker.read());
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void schedule(long atNanos) {
        if (timer != null) {
            if (timerAtNanos <= atNanos) {
                return;
            }
            timer.cancel();
        }
        long wallDelay = (long) Math.ceil((atNanos - virtualNow()) / speed);
        Timer next = vertx.timer(Math.max(1, wallDelay), TimeUnit.NANOSECONDS);
        timer = next;
        timerAtNanos = atNanos;
        next.onSuccess(v -> {
            if (timer == next) {
                timer = null;
                pump();
            }
        });
    }

    private long virtualNow() {
        return (long) ((ticker.read() - originNanos) * speed);
    }
}
