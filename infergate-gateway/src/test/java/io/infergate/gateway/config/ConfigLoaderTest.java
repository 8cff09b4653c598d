package io.infergate.gateway.config;

import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.SiteKind;
import io.infergate.core.flow.CriticalReserve;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.PriorityClass;
import io.infergate.core.predict.LatencySlo;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.health.StallRule;
import io.infergate.core.model.ModelRoute;
import io.infergate.gateway.security.AllowedEndpoint;
import io.infergate.gateway.security.KeyHash;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            pools:
              - name: chat
                models: [llama-3.1-8b-instruct]
                endpoints:
                  - url: http://127.0.0.1:8000
            """;

    @Test
    void fullConfigBindsEveryKey() throws Exception {
        GatewayConfig config = ConfigLoader.load(Path.of("src/test/resources/config/full.yaml"));

        Endpoint endpoint = Endpoint.builder("eu-1", URI.create("http://127.0.0.1:8000"))
                .pool("chat-eu").serverType("sglang").models(Set.of("llama-3.1-8b-instruct", "qwen2.5-7b"))
                .region("eu-west").zone("eu-west-1a").site(SiteKind.EDGE)
                .accelerator(new Accelerator("NVIDIA_A100", 4)).pricePerHour(2.10).egressPerGb(0.02)
                .capacity(CapacityKind.PREEMPTIBLE).replicaSize(2).capacityWeight(3.5).build();
        assertThat(config).isEqualTo(new GatewayConfig(
                new ListenConfig("127.0.0.1", 9080, "::1", 9081, Optional.empty()),
                new LimitsConfig(1_048_576, 32_768, 4096, Duration.ofMillis(5000), Duration.ofMillis(60_000),
                        Duration.ofMillis(30_000), 64, 64, new Http2Limits(50, 100, Duration.ofSeconds(5))),
                new ScrapeConfig(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(1500)),
                new RoutingConfig(SchedulerKind.LEAST_IN_FLIGHT, false, Set.of("fraud", "batch")),
                new RetryConfig(2, Optional.of(Duration.ofMillis(5000)), 0.1, 5,
                        new HedgingConfig(true, Set.of("fraud"), 90, Duration.ofMillis(20), 3)),
                new HealthConfig(Duration.ofMillis(500), Duration.ofMillis(250), 4,
                        new StallDetectionConfig(true, 3, Duration.ofMillis(400))),
                List.of(new PoolConfig("chat-eu", ServerType.SGLANG, List.of("llama-3.1-8b-instruct", "qwen2.5-7b"),
                        List.of(new EndpointConfig(endpoint, URI.create("http://127.0.0.1:8002/metrics"),
                                Optional.of(URI.create("http://127.0.0.1:9400/metrics")))),
                        List.of(AllowedEndpoint.parse("127.0.0.0/8"), AllowedEndpoint.parse("fd00::/8"),
                                AllowedEndpoint.parse("*.gpu.internal")))),
                List.of(new TenantConfig("fraud", "fraud", Optional.of("fraud"), List.of("llama-3.1-8b-instruct"), 3,
                        List.of(new TenantConfig.Key(KeyHash.parse(
                                "sha256$f3fjya2kh2lo$lf9q_XRtI0C6gFkuxoAg9g$1NGiBynJJTvrYuYSdggjAjXyLtlpjeLLR0Ef7y6-NsQ"),
                                "scorer", List.of("llama-3.1-8b-instruct"), Optional.of("batch"), Optional.of("fraud"),
                                new TenantConfig.Limits(60, 1000, 2))),
                        new TenantConfig.Limits(600, 200_000, 50))),
                new FlowControlConfig(false, FlowPolicy.builder()
                        .classes(List.of(new PriorityClass("fraud", 10, Duration.ofMillis(250), false),
                                new PriorityClass("batch", 0, Duration.ZERO, true)))
                        .defaultClass("batch").maxQueued(50).reservedForCritical(0.5)
                        .saturation(new SaturationThresholds(2, 0.9, 8)).tenantWeight("fraud", 3).build(),
                        Map.of("fraud", LatencySlo.of(Duration.ofMillis(300), Duration.ofSeconds(2)))),
                List.of(new ModelRoute("qwen2.5-7b", List.of("gpt-4o-mini"), List.of("llama-3.1-8b-instruct"))),
                new RateLimitsConfig(RateLimitsConfig.Backend.REDIS, URI.create("redis://127.0.0.1:6380"),
                        Duration.ofMillis(25), RateLimitsConfig.Fallback.DENY),
                new AdminConfig(Optional.empty(), Optional.of(Secret.of("an-admin-token-of-some-length")), false, true,
                        true),
                BackendTlsConfig.DEFAULT, Optional.empty(),
                new ShutdownConfig(Duration.ZERO, Duration.ofMillis(45_000), false)));
    }

    @Test
    void theReserveForCriticalFollowsDemandByDefaultOrWhenAuto() throws Exception {
        GatewayConfig auto = ConfigLoader.parse("flow_control: {reserved_for_critical: auto}\n" + MINIMAL, "auto.yaml",
                Map.of());
        GatewayConfig fixed = ConfigLoader.parse("flow_control: {reserved_for_critical: 0.25}\n" + MINIMAL, "fixed.yaml",
                Map.of());

        assertThat(auto.flowControl().policy().reserve()).isEqualTo(CriticalReserve.followsDemand());
        assertThat(FlowControlConfig.DEFAULT.policy().reserve()).isEqualTo(CriticalReserve.followsDemand());
        assertThat(fixed.flowControl().policy().reserve()).isEqualTo(new CriticalReserve.Fixed(0.25));
    }

    @Test
    void omittedKeysTakeTheirDefaults() throws Exception {
        GatewayConfig config = ConfigLoader.parse(MINIMAL, "minimal.yaml", Map.of());

        assertThat(config.listen()).isEqualTo(ListenConfig.DEFAULT);
        assertThat(config.limits().maxBodyBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.scrape()).isEqualTo(
                new ScrapeConfig(Duration.ofMillis(200), Duration.ofMillis(1000), Duration.ofMillis(2000)));
        assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULT);
        assertThat(config.retry()).isEqualTo(RetryConfig.DEFAULT);
        assertThat(config.health()).isEqualTo(HealthConfig.DEFAULT);
        assertThat(config.shutdown()).isEqualTo(new ShutdownConfig(Duration.ofSeconds(3), Duration.ofSeconds(30), true));
        assertThat(config.health().stallDetection().rule()).as("stall detection on by default")
                .contains(StallRule.DEFAULT);
        assertThat(config.tenants()).isEmpty();
        assertThat(config.flowControl()).isEqualTo(FlowControlConfig.DEFAULT);
        assertThat(config.rateLimits()).isEqualTo(RateLimitsConfig.DEFAULT);
        assertThat(config.authRequired()).isFalse();
        PoolConfig pool = config.pools().getFirst();
        assertThat(pool.type()).isEqualTo(ServerType.VLLM);
        EndpointConfig endpoint = pool.endpoints().getFirst();
        assertThat(endpoint.metricsUrl()).isEqualTo(URI.create("http://127.0.0.1:8000/metrics"));
        assertThat(endpoint.gpuMetricsUrl()).isEmpty();
        assertThat(endpoint.endpoint()).isEqualTo(Endpoint.builder("127.0.0.1:8000", URI.create("http://127.0.0.1:8000"))
                .pool("chat").serverType("vllm").models(Set.of("llama-3.1-8b-instruct")).build());
    }

    @Test
    void stallDetectionCanBeTurnedOff() throws Exception {
        GatewayConfig config = ConfigLoader.parse("health: {stall_detection: {enabled: false}}\n" + MINIMAL,
                "off.yaml", Map.of());

        assertThat(config.health().stallDetection().rule()).isEmpty();
    }

    @Test
    void endpointIdDefaultsToHostAndTheSchemesPort() throws Exception {
        GatewayConfig config = ConfigLoader.parse(MINIMAL.replace("http://127.0.0.1:8000", "https://localhost/"),
                "test.yaml", Map.of());

        assertThat(config.endpoints()).extracting(Endpoint::id).containsExactly("localhost:443");
        assertThat(config.endpoints()).extracting(Endpoint::url).containsExactly(URI.create("https://localhost"));
    }

    @Test
    void exampleFileLoadsAndConvertsToCoreEndpoints() throws Exception {
        GatewayConfig config = ConfigLoader.load(Path.of("../examples/infergate.yaml"));

        assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("chat", "vision");
        assertThat(config.models()).containsExactly("efficientnet-b0", "llama-3.1-8b-instruct", "resnet50");
        assertThat(config.endpoints()).extracting(Endpoint::id)
                .containsExactly("chat-eu-1", "chat-us-1", "chat-edge-fra", "vision-dc-1", "vision-us-1");
        assertThat(config.endpoints()).extracting(Endpoint::region)
                .containsExactly("eu-west", "us-east", "eu-central", "eu-west", "us-east");

        Endpoint edge = config.endpoints().get(2);
        assertThat(edge.pool()).isEqualTo("chat");
        assertThat(edge.serverType()).isEqualTo("vllm");
        assertThat(edge.models()).containsExactly("llama-3.1-8b-instruct");
        assertThat(edge.site()).isEqualTo(SiteKind.EDGE);
        assertThat(config.endpoints().get(1).capacity()).isEqualTo(CapacityKind.PREEMPTIBLE);
        assertThat(config.endpoints().get(1).accelerator()).isEqualTo(new Accelerator("NVIDIA_A100", 4));

        Endpoint dc = config.endpoints().get(3);
        assertThat(dc.serverType()).isEqualTo("triton");
        assertThat(dc.models()).containsExactlyInAnyOrder("resnet50", "efficientnet-b0");
        assertThat(dc.replicaSize()).isEqualTo(2);
        assertThat(dc.capacityWeight()).as("capacity weight defaults to the replica size").isEqualTo(2.0);
        assertThat(config.endpointConfigs()).extracting(EndpointConfig::metricsUrl).containsExactly(
                URI.create("http://10.0.0.5:8000/metrics"), URI.create("http://10.2.0.5:8000/metrics"),
                URI.create("http://192.168.10.20:8000/metrics"), URI.create("http://10.1.0.7:8002/metrics"),
                URI.create("http://10.2.0.9:8002/metrics"));
    }

    @Test
    void environmentVariablesAreSubstitutedInValues() throws Exception {
        String yaml = """
                listen: {port: "${PORT}"}
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - url: http://${BACKEND_HOST}:${BACKEND_PORT:-8000}
                        price_per_hour: ${PRICE:-1.5}
                """;

        GatewayConfig config = ConfigLoader.parse(yaml, "env.yaml", Map.of("PORT", "9999", "BACKEND_HOST", "127.0.0.2"));

        assertThat(config.listen().port()).isEqualTo(9999);
        assertThat(config.endpoints().getFirst().url()).isEqualTo(URI.create("http://127.0.0.2:8000"));
        assertThat(config.endpoints().getFirst().pricePerHour()).isEqualTo(1.5);
    }

    @Test
    void mergeKeysShareEndpointDefaultsAndExplicitKeysWin() throws Exception {
        String yaml = """
                x-gpu: &gpu {region: eu-west, accelerator: {type: NVIDIA_L4, count: 1}, price_per_hour: 0.8}
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - {<<: *gpu, url: http://127.0.0.1:8000}
                      - {<<: *gpu, url: http://127.0.0.1:8001, price_per_hour: 0.5}
                """;

        List<Endpoint> endpoints = ConfigLoader.parse(yaml, "merge.yaml", Map.of()).endpoints();

        assertThat(endpoints).extracting(Endpoint::region).containsExactly("eu-west", "eu-west");
        assertThat(endpoints).extracting(Endpoint::accelerator).containsOnly(new Accelerator("NVIDIA_L4", 1));
        assertThat(endpoints).extracting(Endpoint::pricePerHour).containsExactly(0.8, 0.5);
    }

    @Test
    void anEndpointMayNameTheEngineProfileItsPriorComesFrom() throws Exception {
        String yaml = """
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - {url: http://127.0.0.1:8000, engine_profile: l4-llama3-8b}
                      - {url: http://127.0.0.1:8001}
                """;

        List<Endpoint> endpoints = ConfigLoader.parse(yaml, "profiles.yaml", Map.of()).endpoints();

        assertThat(endpoints).extracting(Endpoint::engineProfile).containsExactly("l4-llama3-8b", "");
    }

    @Test
    void aClassQueueTurnsToNewestFirstAfterLifoAfterOrNeverWhenOff() throws Exception {
        String yaml = """
                flow_control:
                  classes:
                    - {name: critical, lifo_after_ms: 300}
                    - {name: standard}
                    - {name: batch, lifo_after_ms: off}
                """ + MINIMAL;

        List<PriorityClass> classes = ConfigLoader.parse(yaml, "lifo.yaml", Map.of()).flowControl().policy().classes();

        assertThat(classes).extracting(PriorityClass::lifoAfter).containsExactly(Duration.ofMillis(300),
                PriorityClass.DEFAULT_LIFO_AFTER, PriorityClass.FIRST_COME_FIRST_SERVED);
    }

    @Test
    void emptyValuesOfOptionalKeysMeanTheDefault() throws Exception {
        GatewayConfig config = ConfigLoader.parse("listen:\n  port:\ntenants:\n" + MINIMAL, "test.yaml", Map.of());

        assertThat(config.listen().port()).isEqualTo(8080);
        assertThat(config.tenants()).isEmpty();
        assertThat(config.flowControl()).isEqualTo(FlowControlConfig.DEFAULT);
        assertThat(config.rateLimits()).isEqualTo(RateLimitsConfig.DEFAULT);
        assertThat(config.authRequired()).isFalse();
    }
}
