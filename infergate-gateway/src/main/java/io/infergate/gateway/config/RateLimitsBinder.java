package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/** The {@code rate_limits:} section: where limits are counted (memory or Redis) and what happens when Redis is down. */
final class RateLimitsBinder {

    private final Converters convert;
    private final NodeReader reader;

    RateLimitsBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
    }

    Optional<RateLimitsConfig> bind(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            RateLimitsConfig defaults = RateLimitsConfig.DEFAULT;
            RateLimitsConfig.Backend backend = m.optional("backend", convert.choice(RateLimitsConfig.Backend.values()),
                    defaults.backend());
            RateLimitsConfig redis = m.optional("redis", this::redis, defaults);
            if (backend == RateLimitsConfig.Backend.REDIS && m.value("redis").isEmpty()) {
                reader.problems().add(m.at("backend"), m.path("redis"),
                        "required field is missing: backend redis needs redis: {url: redis://host:port}");
            }
            RateLimitsConfig.Fallback fallback = m.optional("fallback",
                    convert.choice(RateLimitsConfig.Fallback.values()), defaults.fallback());
            m.finish();
            return new RateLimitsConfig(backend, redis.redisUrl(), redis.redisTimeout(), fallback);
        });
    }

    /** {@code rate_limits.redis}, returned in a config that carries only its fields. */
    private Optional<RateLimitsConfig> redis(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<URI> url = m.required("url", this::redisUrl);
            Duration timeout = m.optional("timeout_ms", convert.millis(), RateLimitsConfig.DEFAULT.redisTimeout());
            m.finish();
            return url.map(u -> new RateLimitsConfig(RateLimitsConfig.Backend.REDIS, u, timeout,
                    RateLimitsConfig.DEFAULT.fallback()));
        });
    }

    private Optional<URI> redisUrl(Node node, String path) {
        return reader.token(node, path).flatMap(text -> {
            URI uri = null;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                // reported below
            }
            boolean valid = uri != null && ("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
                    && uri.getHost() != null;
            if (!valid) {
                reader.problems().add(node, path, "expected a redis://host:port or rediss://host:port URL, found '"
                        + text + "'");
            }
            return valid ? Optional.of(uri) : Optional.empty();
        });
    }
}
