package io.infergate.gateway.config;

import io.infergate.gateway.security.KeyHash;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One test per kind of configuration error: each names file, line, column, field and what was expected. */
class ConfigValidationTest {

    private static final String FILE = "gw.yaml";

    static List<ConfigError> errorsOf(String yaml) {
        try {
            ConfigLoader.parse(yaml, FILE, Map.of());
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected the configuration to be rejected:\n" + yaml);
    }

    private static ConfigError error(int line, int column, String field, String message) {
        return new ConfigError(FILE, line, column, field, message);
    }

    @Test
    void connectionLimitsOutOfRangeAreNamedWithTheirLine() {
        assertThat(errorsOf("""
                limits:
                  max_connections_per_address: -1
                  http2: {max_concurrent_streams: 0, max_resets: 200, reset_window_ms: 1500, max_streams: 5}
                pools: []
                """)).contains(
                error(2, 32, "limits.max_connections_per_address", "expected a number from 0 to 1000000, found -1"),
                error(3, 35, "limits.http2.max_concurrent_streams", "expected a number from 1 to 1000000, found 0"),
                error(3, 72, "limits.http2.reset_window_ms", "expected whole seconds (a multiple of 1000), found 1500"),
                error(3, 78, "limits.http2.max_streams",
                        "unknown key (expected one of: max_concurrent_streams, max_resets, reset_window_ms)"));
    }

    @Test
    void yamlSyntaxErrorNamesTheParsersLine() {
        assertThat(errorsOf("""
                listen:
                  port: 8080
                 admin_port: 8081
                """)).containsExactly(error(3, 2, "(syntax)",
                "expected <block end>, but found '<block mapping start>' (while parsing a block mapping started at line 1)"));
    }

    @Test
    void unterminatedFlowListIsASyntaxError() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama
                    endpoints: []
                """)).singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("(syntax)");
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.message()).contains("while parsing a flow sequence started at line 3");
                });
    }

    @Test
    void controlCharacterIsLocated() {
        assertThat(errorsOf("listen:\n  host: a\u0001b\n")).containsExactly(
                error(2, 10, "(syntax)", "special characters are not allowed: found U+0001"));
    }

    @Test
    void emptyFileIsAnError() {
        ConfigError expected = error(1, 1, "(document)",
                "the file has no content (expected: a mapping with at least 'pools:')");
        assertThat(errorsOf("")).containsExactly(expected);
        assertThat(errorsOf("# nothing but a comment\n")).containsExactly(expected);
    }

    @Test
    void documentMustBeAMapping() {
        assertThat(errorsOf("- pools\n")).containsExactly(
                error(1, 1, "(document)", "expected a mapping (key: value lines), found a list"));
    }

    @Test
    void shutdownTimesAreCheckedAndLocated() {
        assertThat(errorsOf("""
                shutdown:
                  grace_ms: -1
                  drain_timeout_ms: 0
                  drain_ms: 5
                pools: []
                """)).contains(
                error(2, 13, "shutdown.grace_ms", "expected a number from 0 to 3600000, found -1"),
                error(3, 21, "shutdown.drain_timeout_ms", "expected a number from 1 to 3600000, found 0"),
                error(4, 3, "shutdown.drain_ms", "unknown key (expected one of: grace_ms, drain_timeout_ms, reuse_port)"));
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(errorsOf("""
                listen:
                  admin-port: 9000
                pools: []
                """)).contains(error(2, 3, "listen.admin-port",
                "unknown key; did you mean 'admin_port'? (expected one of: host, port, admin_host, admin_port, tls)"));
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyListsTheKnownOnes() {
        assertThat(errorsOf("""
                colour: blue
                pools: []
                """)).contains(error(1, 1, "colour",
                "unknown key (expected one of: admin, listen, limits, scrape, flow_control, routing, retry, health, pools, tenants, models, rate_limits, backend_tls, autoscaler, shutdown)"));
    }

    @Test
    void textWhereANumberIsExpected() {
        assertThat(errorsOf("""
                listen:
                  port: abc
                pools: []
                """)).contains(error(2, 9, "listen.port", "expected a number, found 'abc'"));
    }

    @Test
    void fractionWhereAWholeNumberIsExpected() {
        assertThat(errorsOf("retry: {max_attempts: 2.5}\npools: []\n")).contains(
                error(1, 23, "retry.max_attempts", "expected a whole number, found '2.5'"));
    }

    @Test
    void scalarWhereAListIsExpected() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: llama
                    endpoints: [{url: http://127.0.0.1:8000}]
                """)).containsExactly(error(3, 13, "pools[0].models", "expected a list, found 'llama'"));
    }

    @Test
    void listWhereAMappingIsExpected() {
        assertThat(errorsOf("limits: [1]\npools: []\n")).contains(
                error(1, 9, "limits", "expected a mapping (key: value lines), found a list"));
    }

    @Test
    void missingRequiredFieldsPointAtTheirMapping() {
        assertThat(errorsOf("""
                pools:
                  - type: vllm
                    endpoints:
                      - region: eu-west
                """)).containsExactly(
                error(2, 5, "pools[0].name", "required field is missing"),
                error(2, 5, "pools[0].models", "required field is missing"),
                error(4, 9, "pools[0].endpoints[0].url", "required field is missing"));
    }

    @Test
    void requiredFieldWithoutValuePointsAtItsKey() {
        assertThat(errorsOf("""
                pools:
                  - name:
                    models: [llama]
                    endpoints: [{url: http://127.0.0.1:8000}]
                """)).containsExactly(error(2, 5, "pools[0].name", "required field has no value"));
    }

    @Test
    void missingPoolsSection() {
        assertThat(errorsOf("listen: {port: 8080}\n")).containsExactly(
                error(1, 1, "pools", "required field is missing"));
    }

    @Test
    void portOutOfRange() {
        assertThat(errorsOf("listen: {port: 70000}\npools: []\n")).contains(
                error(1, 16, "listen.port", "expected a number from 0 to 65535, found 70000"));
    }

    @Test
    void dataAndAdminPortMustDiffer() {
        assertThat(errorsOf("listen: {port: 9000, admin_port: 9000}\npools: []\n")).contains(
                error(1, 34, "listen.admin_port", "expected a port other than listen.port, found 9000 for both"));
    }

    @Test
    void negativePrice() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - url: http://127.0.0.1:8000
                      - url: http://127.0.0.1:8001
                        price_per_hour: -2.10
                """)).containsExactly(
                error(7, 25, "pools[0].endpoints[1].price_per_hour", "expected a number >= 0, found -2.10"));
    }

    @Test
    void urlWithoutHttpScheme() {
        assertThat(errorsOf(poolWithUrl("10.0.0.5:8000"))).containsExactly(
                error(5, 14, "pools[0].endpoints[0].url", "expected an http:// or https:// URL, found '10.0.0.5:8000'"));
        assertThat(errorsOf(poolWithUrl("ftp://10.0.0.5"))).containsExactly(
                error(5, 14, "pools[0].endpoints[0].url", "expected an http:// or https:// URL, found 'ftp://10.0.0.5'"));
    }

    @Test
    void gpuMetricsUrlIsValidatedLikeTheEndpointUrl() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - {url: "http://127.0.0.1:8000", gpu_metrics_url: "127.0.0.1:9400/metrics"}
                      - {url: "http://127.0.0.1:8001", gpu_metrics_url: "http:///metrics"}
                """)).containsExactly(
                error(5, 57, "pools[0].endpoints[0].gpu_metrics_url",
                        "expected an http:// or https:// URL, found '127.0.0.1:9400/metrics'"),
                error(6, 57, "pools[0].endpoints[1].gpu_metrics_url",
                        "expected a URL with a host name (letters, digits, '-' and '.'; no '_') or a dotted-decimal IP address, found 'http:///metrics'"));
    }

    @Test
    void urlWithInvalidCharacters() {
        assertThat(errorsOf(poolWithUrl("http://gpu node:8000"))).containsExactly(error(5, 14,
                "pools[0].endpoints[0].url",
                "expected a valid URL, found 'http://gpu node:8000' (Illegal character in authority: ' ' at position 11)"));
    }

    @Test
    void urlWithQuery() {
        assertThat(errorsOf(poolWithUrl("http://127.0.0.1:8000?x=1"))).containsExactly(error(5, 14,
                "pools[0].endpoints[0].url",
                "expected a base URL without '?query' or '#fragment', found 'http://127.0.0.1:8000?x=1'"));
    }

    @Test
    void urlWithoutHost() {
        assertThat(errorsOf(poolWithUrl("http:///v1"))).containsExactly(error(5, 14, "pools[0].endpoints[0].url",
                "expected a URL with a host name (letters, digits, '-' and '.'; no '_') or a dotted-decimal IP address, found 'http:///v1'"));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnesAndSuggests() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    type: vlm
                    models: [llama]
                    endpoints: [{url: http://127.0.0.1:8000, site: on-prem}]
                """)).containsExactly(
                error(3, 11, "pools[0].type",
                        "expected one of vllm, sglang, tgi, triton, ollama, openai, found 'vlm'; did you mean 'vllm'?"),
                error(5, 52, "pools[0].endpoints[0].site",
                        "expected one of cloud, onprem, edge, found 'on-prem'; did you mean 'onprem'?"));
    }

    @Test
    void unknownEngineProfileListsTheKnownOnesAndSuggests() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints: [{url: http://127.0.0.1:8000, engine_profile: a100-llama-3-8b}]
                """)).containsExactly(error(4, 62, "pools[0].endpoints[0].engine_profile",
                "expected one of the engine profiles a100-llama3-8b, h100-llama3-8b, l4-llama3-8b, a10g-mistral-7b,"
                        + " instant, found 'a100-llama-3-8b'; did you mean 'a100-llama3-8b'?"));
    }

    @Test
    void staleAfterShorterThanTheScrapeInterval() {
        assertThat(errorsOf("scrape: {interval_ms: 5000}\npools: []\n")).contains(
                error(1, 9, "scrape.stale_after_ms", "expected at least scrape.interval_ms (5000), found 2000"));
    }

    @Test
    void duplicatePoolNames() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints: [{url: http://127.0.0.1:8000}]
                  - name: chat
                    models: [qwen]
                    endpoints: [{url: http://127.0.0.1:8001}]
                """)).containsExactly(
                error(5, 11, "pools[1].name", "duplicate pool name 'chat' (first at line 2)"));
    }

    @Test
    void duplicateEndpointIdsAndUrlsAcrossPools() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - {id: a, url: http://127.0.0.1:8000}
                  - name: embed
                    models: [bge]
                    endpoints:
                      - {id: a, url: http://127.0.0.1:8001}
                      - {id: b, url: http://127.0.0.1:8000}
                """)).containsExactly(
                error(9, 14, "pools[1].endpoints[0].id", "duplicate endpoint id 'a' (first at line 5)"),
                error(10, 22, "pools[1].endpoints[1].url",
                        "duplicate endpoint url 'http://127.0.0.1:8000' (first at line 5)"));
    }

    @Test
    void duplicateDerivedEndpointIdSaysHowToFixIt() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - url: http://127.0.0.1:8000/a
                      - url: http://127.0.0.1:8000/b
                """)).containsExactly(error(6, 14, "pools[0].endpoints[1].id",
                "duplicate endpoint id '127.0.0.1:8000' (first at line 5); "
                        + "it is derived from the url's host:port, set 'id' to tell them apart"));
    }

    @Test
    void repeatedYamlKey() {
        assertThat(errorsOf("""
                listen:
                  port: 8080
                  port: 8090
                pools: []
                """)).contains(error(3, 3, "listen.port", "duplicate key 'port' (first at line 2)"));
    }

    @Test
    void poolWithEmptyEndpointList() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    endpoints: []
                """)).containsExactly(
                error(4, 16, "pools[0].endpoints", "expected at least one endpoint, found an empty list"));
    }

    @Test
    void poolWithoutEndpoints() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                """)).containsExactly(error(2, 5, "pools[0].endpoints", "required field is missing"));
    }

    @Test
    void unsetEnvironmentVariable() {
        assertThat(errorsOf(poolWithUrl("http://${BACKEND}:8000"))).containsExactly(error(5, 14,
                "pools[0].endpoints[0].url",
                "environment variable BACKEND is not set (write ${BACKEND:-default} to give a default)"));
    }

    @Test
    void everyErrorIsReportedInFileOrderAndPrintedOnePerLine() {
        String yaml = """
                listen: {port: -1}
                retry: {max_attempts: 0}
                pools:
                  - name: chat
                    models: []
                    endpoints: [{url: http://127.0.0.1:8000, price_per_hour: free}]
                """;

        ConfigException e = null;
        try {
            ConfigLoader.parse(yaml, FILE, Map.of());
        } catch (ConfigException thrown) {
            e = thrown;
        }

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("""
                gw.yaml:1:16: listen.port: expected a number from 0 to 65535, found -1
                gw.yaml:2:23: retry.max_attempts: expected a number from 1 to 10, found 0
                gw.yaml:5:13: pools[0].models: expected at least one model, found an empty list
                gw.yaml:6:62: pools[0].endpoints[0].price_per_hour: expected a number, found 'free'""");
    }

    @Test
    void flowControlClassesAreCheckedWhereverTheyAreNamed() {
        assertThat(errorsOf("""
                flow_control:
                  default_class: urgent
                  classes:
                    - {name: critical}
                    - {name: critical, sheddable: yes}
                    - {name: batch, max_wait_ms: -5, lifo_after_ms: never}
                pools: []
                tenants:
                  - {name: fraud, priority: critcal, weight: 0}
                """)).containsExactly(
                error(2, 18, "flow_control.default_class",
                        "expected one of the priority classes critical, batch, found 'urgent'"),
                error(5, 14, "flow_control.classes[1].name", "duplicate class name 'critical' (first at line 4)"),
                error(5, 35, "flow_control.classes[1].sheddable", "expected true or false, found 'yes'"),
                error(6, 34, "flow_control.classes[2].max_wait_ms", "expected a number from 0 to 3600000, found -5"),
                error(6, 53, "flow_control.classes[2].lifo_after_ms", "expected a number, found 'never'"),
                error(7, 8, "pools", "expected at least one pool, found an empty list"),
                error(9, 29, "tenants[0].priority",
                        "expected one of the priority classes critical, batch, found 'critcal'; did you mean 'critical'?"),
                error(9, 46, "tenants[0].weight", "expected a number > 0, found 0.0"));
    }

    @Test
    void latencyObjectivesNeedAPositiveBound() {
        assertThat(errorsOf("""
                flow_control:
                  classes:
                    - {name: critical, slo: {ttft_ms: 0}}
                    - {name: standard, slo: {}}
                    - {name: batch, slo: {end_to_end_ms: 5000, ttft: 300}}
                routing: {scheduler: predicted-latncy}
                pools: [{name: p, models: [m], endpoints: [{url: "http://127.0.0.1:1"}]}]
                """)).containsExactly(
                error(3, 39, "flow_control.classes[0].slo.ttft_ms", "expected a number from 1 to 3600000, found 0"),
                error(4, 29, "flow_control.classes[1].slo", "expected ttft_ms, end_to_end_ms or both"),
                error(5, 48, "flow_control.classes[2].slo.ttft", "unknown key (expected one of: ttft_ms, end_to_end_ms)"),
                error(6, 22, "routing.scheduler", "expected one of load-aware, round-robin, least-in-flight, "
                        + "predicted-latency, found 'predicted-latncy'; did you mean 'predicted-latency'?"));
    }

    @Test
    void tenantKeysAndRateLimitsAreCheckedWithTheirPlaces() {
        String hash = "sha256$f3fjya2kh2lo$lf9q_XRtI0C6gFkuxoAg9g$1NGiBynJJTvrYuYSdggjAjXyLtlpjeLLR0Ef7y6-NsQ";
        assertThat(errorsOf("""
                pools: [{name: p, models: [m], endpoints: [{url: "http://127.0.0.1:1"}]}]
                tenants:
                  - name: a
                    max_priority: standard
                    priority: critical
                    models: [m]
                    keys:
                      - {hash: "sha256:abc"}
                      - {hash: "%s", models: [other], limits: {rpm: -1, max_concurrent: x}}
                      - {hash: "%s"}
                rate_limits:
                  backend: redis
                  fallback: sometimes
                """.formatted(hash, hash))).containsExactly(
                error(5, 15, "tenants[0].priority", "expected a class no higher than max_priority 'standard', found 'critical'"),
                error(8, 16, "tenants[0].keys[0].hash", "expected " + KeyHash.DESCRIBED + ", found 'sha256:abc'"),
                error(9, 114, "tenants[0].keys[1].models", "expected models among the tenant's [m], found [other]"),
                error(9, 137, "tenants[0].keys[1].limits.rpm", "expected a number >= 0, found -1"),
                error(9, 157, "tenants[0].keys[1].limits.max_concurrent", "expected a number, found 'x'"),
                error(10, 16, "tenants[0].keys[2].hash", "duplicate API key id 'f3fjya2kh2lo' (first at line 9)"),
                error(12, 12, "rate_limits.redis",
                        "required field is missing: backend redis needs redis: {url: redis://host:port}"),
                error(13, 13, "rate_limits.fallback", "expected one of local, allow, deny, found 'sometimes'"));
    }

    @Test
    void flowControlSharesAndThresholdsAreCheckedForRange() {
        assertThat(errorsOf("""
                flow_control:
                  reserved_for_critical: 1
                  saturation: {max_waiting_per_endpoint: 0, max_kv_cache_usage: 1.2, max_requests_per_endpoint: -1}
                pools: []
                """)).containsExactly(
                error(2, 26, "flow_control.reserved_for_critical", "expected a number >= 0 and < 1, found 1.0"),
                error(3, 42, "flow_control.saturation.max_waiting_per_endpoint", "expected a number from 1 to 1000000, found 0"),
                error(3, 65, "flow_control.saturation.max_kv_cache_usage", "expected a number > 0 and <= 1, found 1.2"),
                error(3, 97, "flow_control.saturation.max_requests_per_endpoint",
                        "expected a number from 0 to 1000000, found -1"),
                error(4, 8, "pools", "expected at least one pool, found an empty list"));
    }

    @Test
    void theReserveForCriticalIsAutoOrAShare() {
        assertThat(errorsOf("""
                flow_control:
                  reserved_for_critical: half
                pools: []
                """)).containsExactly(
                error(2, 26, "flow_control.reserved_for_critical", "expected auto or a number >= 0 and < 1, found 'half'"),
                error(3, 8, "pools", "expected at least one pool, found an empty list"));
    }

    @Test
    void modelRoutesNameServedModelsAndAliasesOfTheirOwn() {
        assertThat(errorsOf("""
                pools:
                  - {name: big, models: [llama-70b], endpoints: [{url: "http://a:1"}]}
                  - {name: small, models: [llama-8b], endpoints: [{url: "http://b:1"}]}
                models:
                  - {name: llama-70c, fallbacks: [llama-8b]}
                  - {name: llama-70b, aliases: [gpt-4o, llama-8b], fallbacks: [llama-70b, phi]}
                  - {name: llama-8b, aliases: [gpt-4o]}
                retry:
                  hedging: {priorities: [vip], max_attempts: 9, percentile: 0}
                """)).containsExactly(
                error(5, 12, "models[0].name", "expected a model some pool serves (one of: llama-70b, llama-8b), "
                        + "found 'llama-70c'; did you mean 'llama-70b'?"),
                error(6, 41, "models[1].aliases[1]",
                        "expected a name of its own, found 'llama-8b', which a pool serves as a model"),
                error(6, 64, "models[1].fallbacks[0]", "expected a model other than 'llama-70b' itself, found 'llama-70b'"),
                error(6, 75, "models[1].fallbacks[1]", "expected a served model to fall back to (one of: llama-70b, "
                        + "llama-8b), found 'phi'"),
                error(7, 32, "models[2].aliases[0]", "duplicate model alias 'gpt-4o' (first at line 6)"),
                error(9, 26, "retry.hedging.priorities[0]",
                        "expected one of the priority classes critical, standard, sheddable, found 'vip'"),
                error(9, 46, "retry.hedging.max_attempts", "expected a number from 2 to 8, found 9"),
                error(9, 61, "retry.hedging.percentile", "expected a number above 0 and at most 100, found 0.0"));
    }

    @Test
    void anEndpointAtTheMetadataAddressStopsTheGatewayFromStarting() {
        assertThat(errorsOf(poolWithUrl("http://169.254.169.254"))).containsExactly(error(5, 14,
                "pools[0].endpoints[0].url", "expected an address this pool may reach, found 'http://169.254.169.254': "
                        + "169.254.169.254 is link-local, where cloud metadata services answer (169.254.169.254); "
                        + "refused unless the pool's allowed_endpoints lists a range inside 169.254.0.0/16"));
    }

    @Test
    void endpointsOutsideThePoolsAllowListAndBadEntriesAreReportedWhereTheyAreWritten() {
        assertThat(errorsOf("""
                pools:
                  - name: chat
                    models: [llama]
                    allowed_endpoints: [10.0.0.0/8, 10.0.0.0/33, "*.internal"]
                    endpoints:
                      - url: http://10.1.2.3:8000
                      - url: http://192.168.0.7:8000
                        gpu_metrics_url: http://[fd00:ec2::254]/metrics
                """)).containsExactly(
                error(4, 37, "pools[0].allowed_endpoints[1]",
                        "expected a prefix length from 0 to 32 after '/', found '10.0.0.0/33'"),
                error(7, 14, "pools[0].endpoints[1].url", "expected an address this pool may reach, found "
                        + "'http://192.168.0.7:8000': 192.168.0.7 is not in the pool's allowed_endpoints [10.0.0.0/8, "
                        + "*.internal]"),
                error(8, 26, "pools[0].endpoints[1].gpu_metrics_url", "expected an address this pool may reach, found "
                        + "'http://[fd00:ec2::254]/metrics': fd00:ec2::254 is the AWS metadata service over IPv6; "
                        + "refused unless the pool's allowed_endpoints lists a range inside fd00:ec2::254/128"));
    }

    @Test
    void stallDetectionSettingsAreCheckedForRange() {
        assertThat(errorsOf("""
                pools: []
                health:
                  stall_detection: {enabled: yes, multiplier: 0.5, min_ms: 0, after_ms: 3}
                """)).contains(
                error(3, 30, "health.stall_detection.enabled", "expected true or false, found 'yes'"),
                error(3, 47, "health.stall_detection.multiplier", "expected a number at least 1, found 0.5"),
                error(3, 60, "health.stall_detection.min_ms", "expected a number from 1 to 3600000, found 0"),
                error(3, 63, "health.stall_detection.after_ms",
                        "unknown key (expected one of: enabled, multiplier, min_ms)"));
    }

    private static String poolWithUrl(String url) {
        return """
                pools:
                  - name: chat
                    models: [llama]
                    endpoints:
                      - url: %s
                """.formatted(url);
    }
}
