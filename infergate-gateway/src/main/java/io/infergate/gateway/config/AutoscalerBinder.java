package io.infergate.gateway.config;

import io.infergate.core.scale.AutoscalerConfig;
import io.infergate.core.scale.HybridPool;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviderFactory;
import io.infergate.core.scale.NodeProviders;
import io.infergate.core.scale.Schedule;
import io.infergate.core.scale.ScheduleWindow;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code autoscaler:} section's schema. Binds it in two steps: {@link #section} reads the mapping,
 * {@link #resolve} checks it against the pools (the pool must exist; its first endpoint gives the
 * default home region and price).
 */
final class AutoscalerBinder {

    private static final int MAX_NODES = 10_000;
    private static final long MAX_MILLIS = 86_400_000;
    private static final AutoscalerConfig DEFAULTS = AutoscalerConfig.builder().build();

    /** The section as read, waiting for the pools. */
    record Section(String pool, Node poolNode, String providerType, Map<String, String> providerSettings,
                   AutoscalerConfig policy, Duration interval, Duration utilisationWindow, int maxNumSeqs,
                   Optional<String> region,
                   Optional<Double> dedicatedPrice, Optional<Double> preemptiblePrice, AutoscalerHost runIn) {
    }

    private final Converters convert;
    private final NodeReader reader;

    AutoscalerBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
    }

    Optional<Section> section(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> pool = m.required("pool", reader::name);
            AutoscalerHost runIn = m.optional("run_in", convert.choice(AutoscalerHost.values()),
                    AutoscalerHost.GATEWAY);
            Optional<Provider> provider = m.required("provider", this::provider);
            int min = m.optional("min_nodes", count(0), DEFAULTS.minNodes());
            int max = m.optional("max_nodes", count(1), DEFAULTS.maxNodes());
            if (max < min) {
                reader.problems().add(m.at("max_nodes"), m.path("max_nodes"),
                        "expected at least min_nodes (" + min + "), found " + max);
            }
            double threshold = m.optional("queue_threshold", positive(), DEFAULTS.queueThreshold());
            double[] band = m.optional("target_utilisation", this::band,
                    new double[] {DEFAULTS.bandLow(), DEFAULTS.bandHigh()});
            double burst = m.optional("burst_factor", positive(), DEFAULTS.burstFactor());
            if (burst <= 1) {
                reader.problems().add(m.at("burst_factor"), m.path("burst_factor"), "expected a number above 1, found " + burst);
            }
            Duration burstHorizon = m.optional("burst_horizon_ms", millis(0), DEFAULTS.burstHorizon());
            Duration growthWindow = m.optional("growth_window_ms", millis(1), DEFAULTS.growthWindow());
            Duration upCooldown = m.optional("scale_up_cooldown_ms", millis(0), DEFAULTS.scaleUpCooldown());
            Duration downCooldown = m.optional("scale_down_cooldown_ms", millis(0), DEFAULTS.scaleDownCooldown());
            int step = m.optional("max_release_step", count(1), DEFAULTS.maxReleaseStep());
            Duration interval = m.optional("interval_ms", millis(1), Duration.ofSeconds(1));
            Duration utilisationWindow = m.optional("utilisation_window_ms", millis(0), Duration.ofSeconds(10));
            int maxNumSeqs = m.optional("max_num_seqs", count(0), 0);
            Optional<String> region = m.optional("region", reader::name);
            HybridPool hybrid = m.optional("hybrid", this::hybrid, HybridPool.DEDICATED_ONLY);
            Prices prices = m.optional("prices", this::prices, Prices.UNSET);
            Schedule schedule = m.optional("schedule", this::schedule, Schedule.NONE);
            m.finish();
            if (pool.isEmpty() || provider.isEmpty() || max < min || burst <= 1) {
                return Optional.empty();
            }
            AutoscalerConfig policy = new AutoscalerConfig(min, max, threshold, band[0], band[1], burst, burstHorizon,
                    growthWindow, upCooldown,
                    downCooldown, step, schedule, hybrid);
            return Optional.of(new Section(pool.get(), m.at("pool"), provider.get().type(), provider.get().settings(),
                    policy, interval, utilisationWindow, maxNumSeqs, region, prices.dedicated(), prices.preemptible(), runIn));
        });
    }

    /** The section with its pool checked and its defaults taken from the pool. */
    Optional<AutoscalerSettings> resolve(Section section, List<PoolConfig> pools) {
        Optional<PoolConfig> pool = pools.stream().filter(p -> p.name().equals(section.pool())).findFirst();
        if (pool.isEmpty()) {
            reader.problems().add(section.poolNode(), "autoscaler.pool", "expected one of the pool names "
                    + pools.stream().map(PoolConfig::name).toList() + ", found '" + section.pool() + "'");
            return Optional.empty();
        }
        var first = pool.get().endpoints().getFirst().endpoint();
        double dedicated = section.dedicatedPrice().orElse(first.pricePerHour());
        return Optional.of(new AutoscalerSettings(section.pool(), section.providerType(), section.providerSettings(),
                section.policy(), section.interval(), section.utilisationWindow(), section.maxNumSeqs(),
                section.region().orElse(first.region()),
                dedicated,
                section.preemptiblePrice().orElse(dedicated), section.runIn()));
    }

    private record Provider(String type, Map<String, String> settings) {
    }

    /** {@code provider: {type: emulated, speed: 10}}: the type must be known, the settings valid for it. */
    private Optional<Provider> provider(Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            reader.problems().add(node, path, "expected a mapping such as {type: emulated}, found " + NodeReader.describe(node));
            return Optional.empty();
        }
        Optional<String> type = Optional.empty();
        Map<String, String> settings = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || !(tuple.getValueNode() instanceof ScalarNode value)) {
                reader.problems().add(tuple.getKeyNode(), path, "expected plain keys with plain values, found "
                        + NodeReader.describe(tuple.getValueNode()));
                return Optional.empty();
            }
            if (key.getValue().equals("type")) {
                type = reader.name(value, Problems.child(path, "type"));
            } else {
                settings.put(key.getValue(), value.getValue());
            }
        }
        if (type.isEmpty()) {
            reader.problems().add(node, Problems.child(path, "type"), "required field is missing");
            return Optional.empty();
        }
        Map<String, NodeProviderFactory> factories = NodeProviders.factories();
        NodeProviderFactory factory = factories.get(type.get());
        if (factory == null) {
            reader.problems().add(node, Problems.child(path, "type"),
                    "expected one of " + factories.keySet() + ", found '" + type.get() + "'");
            return Optional.empty();
        }
        try (NodeProvider ignored = factory.create(settings)) {
            return Optional.of(new Provider(type.get(), settings));
        } catch (IllegalArgumentException e) {
            reader.problems().add(node, path, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<double[]> band(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            double low = m.optional("low", percent(), DEFAULTS.bandLow() * 100);
            double high = m.optional("high", percent(), DEFAULTS.bandHigh() * 100);
            m.finish();
            if (low >= high) {
                reader.problems().add(m.at("high"), m.path("high"), "expected more than low (" + low + "), found " + high);
                return Optional.empty();
            }
            return Optional.of(new double[] {low / 100, high / 100});
        });
    }

    private Optional<HybridPool> hybrid(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            int dedicatedMin = m.optional("dedicated_min", count(0), 0);
            int preemptibleMax = m.optional("preemptible_max", count(0), 0);
            m.finish();
            return new HybridPool(dedicatedMin, preemptibleMax);
        });
    }

    private record Prices(Optional<Double> dedicated, Optional<Double> preemptible) {
        static final Prices UNSET = new Prices(Optional.empty(), Optional.empty());
    }

    private Optional<Prices> prices(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            Optional<Double> dedicated = m.optional("dedicated", reader::nonNegative);
            Optional<Double> preemptible = m.optional("preemptible", reader::nonNegative);
            m.finish();
            return new Prices(dedicated, preemptible);
        });
    }

    private Optional<Schedule> schedule(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<ZoneId> zone = m.optional("zone", this::zone);
            Optional<List<ScheduleWindow>> windows =
                    m.required("windows", (n, p) -> reader.nonEmptyList(n, p, "window", this::window));
            m.finish();
            return windows.map(w -> new Schedule(zone.orElse(ZoneId.of("UTC")), w));
        });
    }

    private Optional<ScheduleWindow> window(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<Set<DayOfWeek>> days = m.required("days", this::days);
            Optional<LocalTime> from = m.required("from", this::time);
            Optional<LocalTime> to = m.required("to", this::time);
            int min = m.optional("min_nodes", count(0), 0);
            int max = m.optional("max_nodes", count(0), ScheduleWindow.NO_MAX);
            m.finish();
            if (max < min) {
                reader.problems().add(m.at("max_nodes"), m.path("max_nodes"),
                        "expected at least min_nodes (" + min + "), found " + max);
                return Optional.empty();
            }
            if (days.isEmpty() || from.isEmpty() || to.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ScheduleWindow(days.get(), from.get(), to.get(), min, max));
        });
    }

    private Optional<Set<DayOfWeek>> days(Node node, String path) {
        return parsed(node, path, ScheduleWindow::parseDays,
                "day names such as mon or monday, ranges such as mon-fri, weekdays, weekends or daily");
    }

    private Optional<LocalTime> time(Node node, String path) {
        return parsed(node, path, text -> LocalTime.parse(text.trim()), "a time of day such as \"09:00\"");
    }

    private Optional<ZoneId> zone(Node node, String path) {
        return parsed(node, path, text -> ZoneId.of(text.trim()), "a time zone such as Europe/Paris or UTC");
    }

    /** The text at {@code node} read by {@code parse}; a text it rejects (any exception) is reported with {@code expected}. */
    private <T> Optional<T> parsed(Node node, String path, Function<String, T> parse, String expected) {
        return reader.nonBlank(node, path).flatMap(text -> {
            try {
                return Optional.of(parse.apply(text));
            } catch (RuntimeException e) {
                reader.problems().add(node, path, "expected " + expected + ", found '" + text + "'");
                return Optional.empty();
            }
        });
    }

    private NodeConverter<Integer> count(int min) {
        return convert.intIn(min, MAX_NODES);
    }

    private NodeConverter<Duration> millis(long min) {
        return convert.millisIn(min, MAX_MILLIS);
    }

    private NodeConverter<Double> positive() {
        return (node, path) -> reader.nonNegative(node, path).filter(value -> {
            if (value == 0) {
                reader.problems().add(node, path, "expected a number above 0, found 0");
            }
            return value > 0;
        });
    }

    private NodeConverter<Double> percent() {
        return (node, path) -> reader.nonNegative(node, path).filter(value -> {
            boolean ok = value > 0 && value <= 100;
            if (!ok) {
                reader.problems().add(node, path, "expected a percentage above 0 and at most 100, found " + value);
            }
            return ok;
        });
    }
}
