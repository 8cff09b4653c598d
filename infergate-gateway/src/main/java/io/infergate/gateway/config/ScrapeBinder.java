package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.time.Duration;
import java.util.Optional;

/** The {@code scrape:} section: how often endpoint metrics are read and when they count as stale. */
final class ScrapeBinder {

    private final Converters convert;

    ScrapeBinder(Converters convert) {
        this.convert = convert;
    }

    Optional<ScrapeConfig> bind(Node node, String path) {
        return convert.reader().mapping(node, path).map(m -> {
            ScrapeConfig defaults = ScrapeConfig.DEFAULT;
            NodeConverter<Duration> millis = convert.millis();
            Duration interval = m.optional("interval_ms", millis, defaults.interval());
            Duration timeout = m.optional("timeout_ms", millis, defaults.timeout());
            Duration staleAfter = m.optional("stale_after_ms", millis, defaults.staleAfter());
            if (staleAfter.compareTo(interval) < 0) {
                convert.problems().add(m.at("stale_after_ms"), m.path("stale_after_ms"), "expected at least "
                        + "scrape.interval_ms (" + interval.toMillis() + "), found " + staleAfter.toMillis());
            }
            m.finish();
            return new ScrapeConfig(interval, timeout, staleAfter);
        });
    }
}
