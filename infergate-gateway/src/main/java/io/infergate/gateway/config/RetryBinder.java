package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code retry:} section with its {@code hedging:}: attempts, the retry budget and hedged requests. */
final class RetryBinder {

    private static final int MAX_RETRY_ATTEMPTS = 10;
    private static final int MAX_HEDGED_ATTEMPTS = 8;

    private final Converters convert;
    private final NodeReader reader;

    RetryBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
    }

    Optional<RetryConfig> bind(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).map(m -> {
            RetryConfig defaults = RetryConfig.DEFAULT;
            int maxAttempts = m.optional("max_attempts", convert.intIn(1, MAX_RETRY_ATTEMPTS), defaults.maxAttempts());
            Optional<Duration> perTryTimeout = m.optional("per_try_timeout_ms", convert.millis());
            double budgetRatio = m.optional("budget_ratio", reader::nonNegative, defaults.budgetRatio());
            if (budgetRatio > 1) {
                reader.problems().add(m.at("budget_ratio"), m.path("budget_ratio"),
                        "expected a number from 0 to 1, found " + budgetRatio);
            }
            double budgetMinPerSecond = m.optional("budget_min_per_second", reader::nonNegative,
                    defaults.budgetMinPerSecond());
            HedgingConfig hedging = m.optional("hedging", (n, p) -> hedging(n, p, flow), defaults.hedging());
            m.finish();
            return new RetryConfig(maxAttempts, perTryTimeout, budgetRatio, budgetMinPerSecond, hedging);
        });
    }

    private Optional<HedgingConfig> hedging(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).map(m -> {
            HedgingConfig defaults = HedgingConfig.DEFAULT;
            boolean enabled = m.optional("enabled", reader::bool, defaults.enabled());
            List<String> priorities = m.optional("priorities", (n, p) -> reader.nonEmptyList(n, p, "priority class",
                    convert.className(flow.classNames())), List.copyOf(defaults.priorities()));
            double percentile = m.optional("percentile",
                    convert.decimal("above 0 and at most 100", v -> v > 0 && v <= 100), defaults.percentile());
            Duration minDelay = m.optional("min_delay_ms", convert.millis(), defaults.minDelay());
            int maxAttempts = m.optional("max_attempts", convert.intIn(2, MAX_HEDGED_ATTEMPTS), defaults.maxAttempts());
            m.finish();
            return new HedgingConfig(enabled, Set.copyOf(priorities), percentile, minDelay, maxAttempts);
        });
    }
}
