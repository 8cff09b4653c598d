package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code routing:} section: the scheduler, prefix affinity and classes with endpoints of their own. */
final class RoutingBinder {

    private final Converters convert;

    RoutingBinder(Converters convert) {
        this.convert = convert;
    }

    Optional<RoutingConfig> bind(Node node, String path, FlowSection flow) {
        NodeReader reader = convert.reader();
        return reader.mapping(node, path).map(m -> {
            SchedulerKind scheduler = m.optional("scheduler", convert.choice(SchedulerKind.values()),
                    RoutingConfig.DEFAULT.scheduler());
            boolean prefixAffinity = m.optional("prefix_affinity", reader::bool, RoutingConfig.DEFAULT.prefixAffinity());
            List<String> dedicated = m.optional("dedicated_classes", (n, p) -> reader.list(n, p,
                    convert.className(flow.classNames())), List.copyOf(RoutingConfig.DEFAULT.dedicatedClasses()));
            m.finish();
            return new RoutingConfig(scheduler, prefixAffinity, Set.copyOf(dedicated));
        });
    }
}
