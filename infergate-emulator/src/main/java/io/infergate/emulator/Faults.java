package io.infergate.emulator;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The live fault switches of one {@link EmulatorServer}; safe to use from any thread. Each request
 * reads the settings once, when it arrives. The same switches are reachable over HTTP at
 * {@code POST /emulator/faults}.
 *
 * <pre>{@code
 * server.faults().errorRate(0.3);                // 30 % of API requests fail with a 500
 * server.faults().dieMidStreamAfterTokens(5);    // every stream is cut after five tokens
 * server.faults().refuse(true);                  // returns once the port is closed
 * server.faults().clear();                       // back to normal, listening again
 * }</pre>
 */
public final class Faults {

    private final Function<Boolean, Future<Void>> listening;
    private FaultSettings settings;

    /**
     * @param listening starts ({@code true}) or stops ({@code false}) the server's listening socket
     */
    Faults(FaultSettings initial, Function<Boolean, Future<Void>> listening) {
        this.settings = initial;
        this.listening = listening;
    }

    public synchronized FaultSettings current() {
        return settings;
    }

    public Faults errorRate(double rate) {
        return update(s -> s.withErrorRate(rate));
    }

    /** Holds back a share {@code probability} of API requests for {@code spike} before they reach the engine. */
    public Faults latencySpikes(double probability, Duration spike) {
        return update(s -> s.withLatencySpikes(probability, spike));
    }

    public Faults hang(boolean hang) {
        return update(s -> s.withHang(hang));
    }

    /** Cuts every stream after {@code tokens} tokens; -1 turns it off. */
    public Faults dieMidStreamAfterTokens(int tokens) {
        return update(s -> s.withDieAfterTokens(tokens));
    }

    /**
     * Stops or resumes listening on the server's port. Called from outside an event loop it returns
     * once the socket is closed or bound again.
     */
    public Faults refuse(boolean refuse) {
        return update(s -> s.withRefuse(refuse));
    }

    public Faults set(FaultSettings next) {
        return update(s -> next);
    }

    /** Turns every fault off, listening again if the server was refusing. */
    public Faults clear() {
        return set(FaultSettings.NONE);
    }

    private Faults update(UnaryOperator<FaultSettings> change) {
        Future<Void> switched;
        synchronized (this) {
            FaultSettings before = settings;
            settings = change.apply(before);
            if (before.refuse() == settings.refuse()) {
                return this;
            }
            switched = listening.apply(!settings.refuse());
        }
        if (!Context.isOnEventLoopThread()) {
            try {
                switched.await(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("refuse: the listening socket did not switch within 30 s", e);
            }
        }
        return this;
    }
}
