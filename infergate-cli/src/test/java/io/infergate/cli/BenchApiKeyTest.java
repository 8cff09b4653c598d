package io.infergate.cli;

import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.config.RateLimitsConfig;
import io.infergate.gateway.security.ApiKey;
import io.infergate.gateway.security.KeyHash;
import io.infergate.loadgen.bench.BenchApiKey;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's fixed API key is one the gateway accepts, and its config section is valid. */
class BenchApiKeyTest {

    private static final String POOL = """
            pools:
              - name: bench
                models: [m]
                endpoints: [{url: "http://127.0.0.1:9"}]
            """;

    @Test
    void theStoredFormIsTheHashOfTheKeyTheLoadGeneratorSends() {
        ApiKey key = ApiKey.parse(BenchApiKey.TOKEN).orElseThrow();

        assertThat(KeyHash.parse(BenchApiKey.STORED).matches(key)).isTrue();
    }

    @Test
    void theGatewayReadsTheBenchTenantWithLocalOrRedisLimits() throws Exception {
        GatewayConfig local = ConfigLoader.parse(POOL + BenchApiKey.gatewayYaml(Optional.empty()), "bench.yaml");
        GatewayConfig redis = ConfigLoader.parse(POOL + BenchApiKey.gatewayYaml(Optional.of("redis://127.0.0.1:6390")),
                "bench.yaml");

        assertThat(local.authRequired()).isTrue();
        assertThat(local.rateLimits().backend()).isEqualTo(RateLimitsConfig.Backend.LOCAL);
        assertThat(redis.rateLimits().backend()).isEqualTo(RateLimitsConfig.Backend.REDIS);
        assertThat(redis.tenants().getFirst().limits().requestsPerMinute()).isEqualTo(1_000_000_000L);
    }
}
