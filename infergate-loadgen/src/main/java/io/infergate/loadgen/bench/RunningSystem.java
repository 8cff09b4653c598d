package io.infergate.loadgen.bench;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A system under test, started and ready: the URLs the load generator sends to, the proxy process
 * when there is one, and infergate's own metrics. Closing it stops the process, then its helpers.
 *
 * @param kind           which system
 * @param targets        where to send: the proxy's address, or every fleet member for {@code direct}
 * @param proxy          the proxy's process; empty for {@code direct}
 * @param gatewayMetrics infergate's Prometheus {@code /metrics} URL; empty for the other systems
 * @param helpers        processes the system needs, e.g. the Redis of {@code infergate-redis}
 */
public record RunningSystem(SystemKind kind, List<URI> targets, Optional<ChildProcess> proxy,
                            Optional<URI> gatewayMetrics, List<ChildProcess> helpers) implements AutoCloseable {

    public RunningSystem {
        Objects.requireNonNull(kind, "kind");
        targets = List.copyOf(targets);
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(gatewayMetrics, "gatewayMetrics");
        helpers = List.copyOf(helpers);
    }

    @Override
    public void close() {
        proxy.ifPresent(ChildProcess::close);
        helpers.forEach(ChildProcess::close);
    }
}
