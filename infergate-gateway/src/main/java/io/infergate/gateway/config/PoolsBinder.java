package io.infergate.gateway.config;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.SiteKind;
import io.infergate.gateway.security.AllowedEndpoint;
import io.infergate.gateway.security.EndpointAddressPolicy;
import io.infergate.gateway.security.HostResolver;
import org.snakeyaml.engine.v2.nodes.Node;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pools:} section and its endpoints, and one endpoint joining a running gateway. Pool names,
 * endpoint ids and endpoint URLs are unique; every endpoint URL must be one its pool may reach.
 */
final class PoolsBinder {

    /** The core's own defaults for an endpoint's optional fields, so they are defined in one place. */
    private static final Endpoint ENDPOINT_DEFAULTS = Endpoint.builder("defaults", URI.create("http://localhost")).build();
    private static final int MAX_REPLICA_NODES = 1024;
    private static final int MAX_ACCELERATORS = 1024;

    private final Converters convert;
    private final NodeReader reader;
    private final HostResolver resolver;
    private final FirstSeen poolNames;
    private final FirstSeen endpointIds;
    private final FirstSeen endpointUrls;

    /** @param resolver resolves endpoint host names, whose every address is checked against the pool's rules */
    PoolsBinder(Converters convert, HostResolver resolver) {
        this.convert = convert;
        this.reader = convert.reader();
        this.resolver = resolver;
        this.poolNames = new FirstSeen("pool name", reader.problems());
        this.endpointIds = new FirstSeen("endpoint id", reader.problems());
        this.endpointUrls = new FirstSeen("endpoint url", reader.problems());
    }

    Optional<List<PoolConfig>> bind(Node node, String path) {
        return reader.nonEmptyList(node, path, "pool", this::pool);
    }

    private Optional<PoolConfig> pool(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", reader::name);
            name.ifPresent(n -> poolNames.claim(n, m.at("name"), m.path("name")));
            ServerType type = m.optional("type", convert.choice(ServerType.values()), ServerType.VLLM);
            FirstSeen modelNames = new FirstSeen("model", reader.problems());
            Optional<List<String>> models = m.required("models", (n, p) -> reader.nonEmptyList(n, p, "model",
                    (item, itemPath) -> reader.token(item, itemPath)
                            .filter(model -> modelNames.claim(model, item, itemPath))));
            List<AllowedEndpoint> allowed = m.optional("allowed_endpoints", (n, p) -> reader.nonEmptyList(n, p,
                    "host, address or CIDR range", this::allowedEndpoint), List.of());
            EndpointAddressPolicy policy = new EndpointAddressPolicy(allowed, resolver);
            Optional<List<BoundEndpoint>> endpoints = m.required("endpoints", (n, p) -> reader.nonEmptyList(n, p,
                    "endpoint", (item, itemPath) -> reader.mapping(item, itemPath)
                            .flatMap(endpoint -> endpointFields(endpoint, policy))));
            m.finish();
            if (name.isEmpty() || models.isEmpty() || endpoints.isEmpty()) {
                return Optional.empty();
            }
            List<EndpointConfig> bound = endpoints.get().stream()
                    .map(endpoint -> endpoint.in(name.get(), type, models.get())).toList();
            return Optional.of(new PoolConfig(name.get(), type, models.get(), bound, allowed));
        });
    }

    /**
     * One endpoint joining a running gateway ({@code POST /admin/endpoints}): the keys of a pool's
     * endpoint entry, and {@code pool}, one of {@code pools}, whose server type and models it takes.
     */
    Optional<EndpointConfig> joiningEndpoint(Node document, List<PoolConfig> pools) {
        return reader.mapping(document, "").flatMap(m -> {
            Optional<PoolConfig> pool = m.required("pool", (n, p) -> reader.name(n, p).flatMap(name -> {
                Optional<PoolConfig> known = pools.stream().filter(candidate -> candidate.name().equals(name)).findFirst();
                if (known.isEmpty()) {
                    List<String> names = pools.stream().map(PoolConfig::name).toList();
                    reader.problems().add(n, p, "expected one of the pools " + String.join(", ", names) + ", found '"
                            + name + "'" + Suggestions.didYouMean(name, names));
                }
                return known;
            }));
            EndpointAddressPolicy policy = new EndpointAddressPolicy(
                    pool.map(PoolConfig::allowedEndpoints).orElse(List.of()), resolver);
            Optional<BoundEndpoint> endpoint = endpointFields(m, policy);
            return pool.flatMap(p -> endpoint.map(e -> e.in(p.name(), p.type(), p.models())));
        });
    }

    /** An endpoint read from the file, waiting for its pool's name, type and models. */
    private record BoundEndpoint(Endpoint.Builder builder, URI metricsUrl, Optional<URI> gpuMetricsUrl) {

        EndpointConfig in(String pool, ServerType type, List<String> models) {
            return new EndpointConfig(builder.pool(pool).serverType(type.configName()).models(Set.copyOf(models)).build(),
                    metricsUrl, gpuMetricsUrl);
        }
    }

    /** An entry of {@code pools[].allowed_endpoints}. */
    private Optional<AllowedEndpoint> allowedEndpoint(Node node, String path) {
        return reader.token(node, path).flatMap(text -> {
            try {
                return Optional.of(AllowedEndpoint.parse(text));
            } catch (IllegalArgumentException e) {
                reader.problems().add(node, path, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * The endpoint keys of {@code m}; every other key is reported as unknown. Its URLs must be ones
     * {@code policy} lets the gateway reach: it sends them requests, scrapes and probes.
     */
    private Optional<BoundEndpoint> endpointFields(YamlMapping m, EndpointAddressPolicy policy) {
        Endpoint defaults = ENDPOINT_DEFAULTS;
        NodeConverter<URI> reachableUrl = (node, path) -> reader.httpUrl(node, path).filter(url -> {
            Optional<String> refusal = policy.refusal(url);
            refusal.ifPresent(why -> reader.problems().add(node, path, "expected an address this pool may reach, found '"
                    + url + "': " + why));
            return refusal.isEmpty();
        });
        Optional<URI> url = m.required("url", reachableUrl);
        Optional<String> explicitId = m.optional("id", reader::name);
        String region = m.optional("region", reader::name, defaults.region());
        String zone = m.optional("zone", reader::name, defaults.zone());
        SiteKind site = m.optional("site", convert.choice(SiteKind.values()), defaults.site());
        Accelerator accelerator = m.optional("accelerator", this::accelerator, defaults.accelerator());
        String engineProfile = m.optional("engine_profile", convert.nameAmong("the engine profiles",
                EngineProfiles.all().stream().map(EngineProfile::name).toList()), defaults.engineProfile());
        double pricePerHour = m.optional("price_per_hour", reader::nonNegative, defaults.pricePerHour());
        double egressPerGb = m.optional("egress_per_gb", reader::nonNegative, defaults.egressPerGb());
        CapacityKind capacity = m.optional("capacity", convert.choice(CapacityKind.values()), defaults.capacity());
        int replicaSize = m.optional("replica_size", convert.intIn(1, MAX_REPLICA_NODES), defaults.replicaSize());
        Optional<Double> capacityWeight = m.optional("capacity_weight", convert.decimal("> 0", w -> w > 0));
        Optional<URI> metricsUrl = m.optional("metrics_url", reachableUrl);
        Optional<URI> gpuMetricsUrl = m.optional("gpu_metrics_url", reachableUrl);
        m.finish();
        url.ifPresent(u -> endpointUrls.claim(u.toString(), m.at("url"), m.path("url")));
        Optional<String> id = explicitId.or(() -> url.map(PoolsBinder::hostAndPort));
        id.ifPresent(i -> endpointIds.claim(i, explicitId.isPresent() ? m.at("id") : m.at("url"), m.path("id"),
                explicitId.isPresent() ? "" : "; it is derived from the url's host:port, set 'id' to tell them apart"));
        return url.flatMap(u -> id.map(i -> new BoundEndpoint(
                Endpoint.builder(i, u).region(region).zone(zone).site(site).accelerator(accelerator)
                        .engineProfile(engineProfile)
                        .pricePerHour(pricePerHour).egressPerGb(egressPerGb).capacity(capacity)
                        .replicaSize(replicaSize).capacityWeight(capacityWeight.orElse((double) replicaSize)),
                metricsUrl.orElseGet(() -> URI.create(u + "/metrics")), gpuMetricsUrl)));
    }

    private Optional<Accelerator> accelerator(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> type = m.required("type", reader::name);
            int count = m.optional("count", convert.intIn(1, MAX_ACCELERATORS), 1);
            m.finish();
            return type.map(t -> new Accelerator(t, count));
        });
    }

    /** The default endpoint id: {@code host:port}, with the scheme's port when the URL names none. */
    private static String hostAndPort(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return url.getHost() + ":" + port;
    }
}
