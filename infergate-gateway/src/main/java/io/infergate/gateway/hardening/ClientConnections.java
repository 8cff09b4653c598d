package io.infergate.gateway.hardening;

import io.infergate.gateway.observe.GatewayMetrics;
import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client connections open on one listener, counted per client address, with a bound on each address;
 * and the count, by reason, of those the gateway closes itself. One instance per listener, shared by all
 * its servers (one per event loop): it is thread-safe.
 *
 * <pre>{@code
 * ClientConnections connections = new ClientConnections("data", 4096, metrics);
 * server.connectionHandler(connection -> {
 *     if (connections.admit(connection)) {
 *         connection.closeHandler(v -> connections.release(connection));
 *     }
 * });
 * }</pre>
 */
public final class ClientConnections {

    static final String PER_ADDRESS_LIMIT = "max_connections_per_address";

    private final String listener;
    private final int maxPerAddress;
    private final GatewayMetrics metrics;
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @param listener      the listener's name in metrics: data or admin
     * @param maxPerAddress connections one address may hold open; 0 for no bound
     */
    public ClientConnections(String listener, int maxPerAddress, GatewayMetrics metrics) {
        if (maxPerAddress < 0) {
            throw new IllegalArgumentException("maxPerAddress: " + maxPerAddress + " (expected: >= 0)");
        }
        this.listener = listener;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
        metrics.openConnectionsGauge(listener, open::get);
    }

    /**
     * Counts {@code connection} as open, or closes it at once when its address already holds the most it
     * may. Every admitted connection must be {@link #release released} when it closes.
     */
    public boolean admit(HttpConnection connection) {
        boolean[] admitted = {false};
        perAddress.compute(address(connection), (address, count) -> {
            int held = count == null ? 0 : count;
            admitted[0] = maxPerAddress == 0 || held < maxPerAddress;
            return admitted[0] ? held + 1 : count;
        });
        if (!admitted[0]) {
            closedBecause(PER_ADDRESS_LIMIT);
            connection.close();
            return false;
        }
        open.incrementAndGet();
        return true;
    }

    /** Counts an admitted connection as closed. */
    public void release(HttpConnection connection) {
        open.decrementAndGet();
        perAddress.computeIfPresent(address(connection), (address, count) -> count == 1 ? null : count - 1);
    }

    /** Counts a connection the gateway closes because of the limit {@code reason}. */
    void closedBecause(String reason) {
        metrics.connectionClosed(listener, reason);
    }

    private static String address(HttpConnection connection) {
        return connection.remoteAddress().hostAddress();
    }
}
