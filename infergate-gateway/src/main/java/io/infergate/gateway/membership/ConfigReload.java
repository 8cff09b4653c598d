package io.infergate.gateway.membership;

import io.infergate.gateway.config.ConfigError;
import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.ConfigSection;
import io.infergate.gateway.config.EndpointConfig;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.config.ServerType;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Re-reads the configuration file and applies what can change while the gateway runs: endpoints
 * joining and leaving existing pools. An endpoint gone from the file is drained and removed once idle;
 * a new one joins. Everything else that differs from the configuration the gateway started with
 * (every section {@link ConfigSection} marks as needing a restart, a new pool, an endpoint's own
 * fields, ...) is reported as needing a restart, and left as it was. A file that does not load changes nothing; its errors are
 * reported with file, line and field.
 *
 * <pre>{@code
 * ConfigReload reload = new ConfigReload(Path.of("infergate.yaml"), config, members);
 * reload.watch(vertx, Duration.ofSeconds(2));      // reloads when the file changes
 * ReloadOutcome outcome = reload.reload();         // or now, e.g. from POST /admin/reload
 * }</pre>
 */
public final class ConfigReload {

    private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());

    private final Path file;
    private final GatewayConfig started;
    private final FleetMembership members;
    /** The endpoints as the file last listed them, by id. */
    private Map<String, PooledEndpoint> running;
    private FileTime lastModified;

    /** An endpoint with what it takes from the pool it is listed in. */
    private record PooledEndpoint(String pool, ServerType type, List<String> models, EndpointConfig endpoint) {
    }

    public ConfigReload(Path file, GatewayConfig started, FleetMembership members) {
        this.file = Objects.requireNonNull(file, "file");
        this.started = Objects.requireNonNull(started, "started");
        this.members = Objects.requireNonNull(members, "members");
        this.running = endpoints(started);
        this.lastModified = modified().orElse(null);
    }

    /** Checks the file's modification time every {@code every}, off the event loop, and reloads when it changed. */
    public void watch(Vertx vertx, Duration every) {
        vertx.setPeriodic(every.toMillis(), id -> vertx.executeBlocking(() -> {
            Optional<FileTime> now = modified();
            if (now.isPresent() && !now.get().equals(lastModified)) {
                reload();
            }
            return null;
        }));
    }

    /** Reads the file and applies its endpoint changes now. */
    public synchronized ReloadOutcome reload() {
        lastModified = modified().orElse(null);
        GatewayConfig next;
        try {
            next = ConfigLoader.load(file);
        } catch (ConfigException e) {
            return logged(ReloadOutcome.rejected(e.errors().stream().map(ConfigError::toString).toList()));
        } catch (IOException e) {
            return logged(ReloadOutcome.rejected(List.of(file + ": cannot read: " + e.getMessage())));
        }
        List<String> restart = restartRequired(next);
        Map<String, PooledEndpoint> listed = endpoints(next);
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (String id : running.keySet()) {
            if (!listed.containsKey(id) && members.remove(id)) {
                removed.add(id);
            }
        }
        for (PooledEndpoint entry : listed.values()) {
            PooledEndpoint before = running.get(entry.endpoint().endpoint().id());
            if (before == null) {
                if (knownPool(entry.pool(), entry.type(), entry.models())) {
                    EndpointConfig endpoint = entry.endpoint();
                    try {
                        members.add(endpoint.endpoint(), entry.type(), endpoint.metricsUrl(), endpoint.gpuMetricsUrl());
                        added.add(endpoint.endpoint().id());
                    } catch (IllegalArgumentException e) {
                        restart.add("endpoint '" + endpoint.endpoint().id() + "' returns changed");
                    }
                }
            } else if (!before.equals(entry)) {
                restart.add("endpoint '" + entry.endpoint().endpoint().id() + "' changed");
            }
        }
        Map<String, PooledEndpoint> now = new LinkedHashMap<>(running);
        removed.forEach(now::remove);
        added.forEach(id -> now.put(id, listed.get(id)));
        running = now;
        return logged(new ReloadOutcome(true, added, removed, restart, List.of()));
    }

    /** A pool as it started: its endpoints may change, not its name, type or models. */
    private boolean knownPool(String name, ServerType type, List<String> models) {
        return started.pools().stream().anyMatch(p -> p.name().equals(name) && p.type() == type
                && p.models().equals(models));
    }

    /**
     * The sections of {@code next} that differ from the configuration the gateway started with and that
     * only a restart applies ({@link ConfigSection.Change#RESTART}), and the pools changed beyond their endpoints.
     */
    private List<String> restartRequired(GatewayConfig next) {
        List<String> changed = new ArrayList<>();
        for (ConfigSection section : ConfigSection.values()) {
            if (section.change() == ConfigSection.Change.RESTART
                    && !section.read(started).equals(section.read(next))) {
                changed.add(section.key());
            }
        }
        for (PoolConfig pool : next.pools()) {
            if (!knownPool(pool.name(), pool.type(), pool.models())) {
                changed.add("pool '" + pool.name() + "' (new, or its type or models changed)");
            } else if (started.pools().stream().noneMatch(p -> p.name().equals(pool.name())
                    && p.allowedEndpoints().equals(pool.allowedEndpoints()))) {
                changed.add("pool '" + pool.name() + "' allowed_endpoints");
            } else if (started.pools().stream().noneMatch(p -> p.name().equals(pool.name())
                    && p.serverPriority() == pool.serverPriority())) {
                changed.add("pool '" + pool.name() + "' server_priority");
            }
        }
        return changed;
    }

    private static Map<String, PooledEndpoint> endpoints(GatewayConfig config) {
        Map<String, PooledEndpoint> byId = new LinkedHashMap<>();
        for (PoolConfig pool : config.pools()) {
            for (EndpointConfig endpoint : pool.endpoints()) {
                byId.put(endpoint.endpoint().id(), new PooledEndpoint(pool.name(), pool.type(), pool.models(), endpoint));
            }
        }
        return byId;
    }

    private Optional<FileTime> modified() {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private ReloadOutcome logged(ReloadOutcome outcome) {
        if (!outcome.applied()) {
            LOG.warning(() -> file + ": not reloaded, the running configuration stays:\n"
                    + String.join("\n", outcome.errors()));
        } else if (outcome.eventful()) {
            LOG.info(() -> file + ": reloaded; joined " + outcome.added() + ", leaving " + outcome.removed()
                    + (outcome.restartRequired().isEmpty() ? ""
                    : "; needs a restart to apply: " + String.join(", ", outcome.restartRequired())));
        }
        return outcome;
    }
}
