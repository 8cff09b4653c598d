package io.infergate.emulator;

import io.infergate.core.engine.EngineStats;
import io.infergate.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running emulated inference server: vLLM's OpenAI API, health and Prometheus metrics, timed by the
 * engine timing model, with fault injection. Each server has its own Vert.x instance with one event loop.
 *
 * <pre>{@code
 * try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder()
 *         .port(0).profile("a100-llama3-8b").speed(10).seed(42).build())) {
 *     URI url = server.url();                 // http://127.0.0.1:PORT
 *     server.faults().errorRate(0.3);
 *     ...
 * }
 * }</pre>
 */
public final class EmulatorServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final EmulatorVerticle verticle;
    private final EmulatorOptions options;

    private EmulatorServer(Vertx vertx, EmulatorVerticle verticle, EmulatorOptions options) {
        this.vertx = vertx;
        this.verticle = verticle;
        this.options = options;
    }

    /**
     * Starts a server and returns once it listens.
     *
     * @throws IllegalStateException when it cannot listen on the host and port asked for
     */
    public static EmulatorServer start(EmulatorOptions options) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        EmulatorVerticle verticle = new EmulatorVerticle(options, Ticker.system());
        try {
            vertx.deployVerticle(verticle).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) { // await rethrows the bind failure as is, checked or not
            vertx.close();
            throw new IllegalStateException("emulator: cannot listen on " + options.host() + ":" + options.port()
                    + " (expected: a free port on a local address): " + e.getMessage(), e);
        }
        return new EmulatorServer(vertx, verticle, options);
    }

    public int port() {
        return verticle.port();
    }

    /** Base URL of the server, e.g. {@code http://127.0.0.1:8000}; see {@link EmulatorOptions#url()}. */
    public URI url() {
        return options().url();
    }

    /** The live fault switches. */
    public Faults faults() {
        return verticle.faults();
    }

    /** The engine's figures (waiting, running, KV use, token counters) as of its last event. */
    public EngineStats stats() {
        return verticle.engine().stats();
    }

    /** The options it was started with, with the port it bound and the effective engine profile. */
    public EmulatorOptions options() {
        return options.withPort(port());
    }

    /** Stops the server, cutting open connections, and returns once it is stopped. */
    @Override
    public void close() {
        try {
            vertx.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("emulator on port " + port() + ": did not stop within "
                    + TIMEOUT_SECONDS + " s", e);
        }
    }
}
