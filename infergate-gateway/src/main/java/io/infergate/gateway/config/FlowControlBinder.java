package io.infergate.gateway.config;

import io.infergate.core.flow.CriticalReserve;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.PriorityClass;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.predict.LatencySlo;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code flow_control:} section: priority classes with their queues and latency objectives, and load shedding. */
final class FlowControlBinder {

    private static final int MAX_QUEUE = 1_000_000;
    /** {@code reserved_for_critical: auto}, the default: the reserve follows critical demand. */
    private static final String AUTO = "auto";
    /** The bounds of a class that does not state them: those of the default {@code standard} class. */
    private static final PriorityClass DEFAULT_CLASS = FlowPolicy.defaults().priorityClass(1);

    private final Converters convert;
    private final NodeReader reader;

    FlowControlBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
    }

    /** One entry of {@code flow_control.classes}: the class and its latency objective, if it has one. */
    private record ClassEntry(PriorityClass priorityClass, Optional<LatencySlo> slo) {
    }

    Optional<FlowSection> bind(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            FlowPolicy defaults = FlowPolicy.defaults();
            boolean enabled = m.optional("enabled", reader::bool, true);
            FirstSeen classNames = new FirstSeen("class name", reader.problems());
            List<ClassEntry> entries = m.optional("classes", (n, p) -> reader.nonEmptyList(n, p, "priority class",
                    (item, itemPath) -> priorityClass(item, itemPath, classNames)), List.<ClassEntry>of());
            List<PriorityClass> classes = entries.isEmpty() ? defaults.classes()
                    : entries.stream().map(ClassEntry::priorityClass).toList();
            Map<String, LatencySlo> slos = new HashMap<>();
            entries.forEach(entry -> entry.slo().ifPresent(slo -> slos.put(entry.priorityClass().name(), slo)));
            List<String> names = classes.stream().map(PriorityClass::name).toList();
            // 'standard' when there is such a class, else the lowest: a request naming no class gets no privilege
            String fallback = names.contains(defaults.defaultClass()) ? defaults.defaultClass() : names.getLast();
            String defaultClass = m.optional("default_class", convert.className(names), fallback);
            int maxQueued = m.optional("max_queued", convert.intIn(0, MAX_QUEUE), defaults.maxQueued());
            CriticalReserve reserve = m.optional("reserved_for_critical", this::reserve, defaults.reserve());
            SaturationThresholds saturation = m.optional("saturation", this::saturation, defaults.saturation());
            m.finish();
            return new FlowSection(enabled, names, defaultClass, FlowPolicy.builder().classes(classes).defaultClass(defaultClass)
                    .maxQueued(maxQueued).reserve(reserve).saturation(saturation), slos);
        });
    }

    /** {@code auto}: the reserve follows critical demand; a number: that fixed share of every threshold. */
    private Optional<CriticalReserve> reserve(Node node, String path) {
        return reader.text(node, path).flatMap(text -> {
            if (text.trim().equals(AUTO)) {
                return Optional.of(CriticalReserve.followsDemand());
            }
            if (!text.trim().matches("[0-9.eE+-]+")) {
                reader.problems().add(node, path, "expected " + AUTO + " or a number >= 0 and < 1, found '" + text + "'");
                return Optional.empty();
            }
            return convert.decimal(">= 0 and < 1", share -> share < 1).convert(node, path)
                    .map(CriticalReserve.Fixed::new);
        });
    }

    private Optional<ClassEntry> priorityClass(Node node, String path, FirstSeen classNames) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", reader::name)
                    .filter(n -> classNames.claim(n, m.at("name"), m.path("name")));
            int queueLimit = m.optional("queue_limit", convert.intIn(0, MAX_QUEUE), DEFAULT_CLASS.queueLimit());
            Duration maxWait = m.optional("max_wait_ms", convert.millisIn(0, Converters.MAX_MILLIS),
                    DEFAULT_CLASS.maxWait());
            boolean sheddable = m.optional("sheddable", reader::bool, DEFAULT_CLASS.sheddable());
            Duration lifoAfter = m.optional("lifo_after_ms", this::lifoAfter, DEFAULT_CLASS.lifoAfter());
            Optional<LatencySlo> slo = m.optional("slo", this::latencySlo);
            m.finish();
            return name.map(n -> new ClassEntry(new PriorityClass(n, queueLimit, maxWait, sheddable, lifoAfter), slo));
        });
    }

    /** {@code lifo_after_ms}: milliseconds, or {@code off} for a queue always served first come, first served. */
    private Optional<Duration> lifoAfter(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.getValue().equals("off")) {
            return Optional.of(PriorityClass.FIRST_COME_FIRST_SERVED);
        }
        return convert.millisIn(0, Converters.MAX_MILLIS).convert(node, path);
    }

    /** {@code slo: {ttft_ms, end_to_end_ms}}, at least one of them. */
    private Optional<LatencySlo> latencySlo(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<Duration> ttft = m.optional("ttft_ms", convert.millis());
            Optional<Duration> endToEnd = m.optional("end_to_end_ms", convert.millis());
            if (m.value("ttft_ms").isEmpty() && m.value("end_to_end_ms").isEmpty()) {
                reader.problems().add(node, path, "expected ttft_ms, end_to_end_ms or both");
            }
            m.finish();
            return ttft.isEmpty() && endToEnd.isEmpty() ? Optional.empty()
                    : Optional.of(LatencySlo.of(ttft.orElse(null), endToEnd.orElse(null)));
        });
    }

    private Optional<SaturationThresholds> saturation(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            SaturationThresholds defaults = SaturationThresholds.DEFAULT;
            int maxWaiting = m.optional("max_waiting_per_endpoint", convert.intIn(1, MAX_QUEUE),
                    defaults.maxWaitingPerEndpoint());
            double maxKv = m.optional("max_kv_cache_usage",
                    convert.decimal("> 0 and <= 1", usage -> usage > 0 && usage <= 1), defaults.maxKvCacheUsage());
            int maxRequests = m.optional("max_requests_per_endpoint", convert.intIn(0, MAX_QUEUE),
                    defaults.maxRequestsPerEndpoint());
            m.finish();
            return new SaturationThresholds(maxWaiting, maxKv, maxRequests);
        });
    }
}
