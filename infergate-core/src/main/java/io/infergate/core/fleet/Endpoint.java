package io.infergate.core.fleet;

import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable identity of one inference endpoint: a server (or a multi-GPU / multi-node replica
 * acting as one) that serves some models. What changes from moment to moment lives in
 * {@link EndpointLoad}.
 *
 * <pre>{@code
 * Endpoint ep = Endpoint.builder("eu-1", URI.create("http://10.0.0.5:8000"))
 *         .pool("chat-eu").models(Set.of("llama-3.1-8b-instruct")).region("eu-west")
 *         .build();
 * }</pre>
 *
 * @param id            stable, unique id; shown in {@code x-infergate-endpoint}
 * @param url           base URL of the server, without the API path
 * @param pool          name of the pool it belongs to
 * @param serverType    server dialect, e.g. {@code vllm}; selects the metric mapping
 * @param models        model names it serves
 * @param region        region name used for latency- and egress-aware routing
 * @param zone          availability zone, may be empty
 * @param site          cloud, on-premises or edge
 * @param accelerator   accelerator type and count
 * @param engineProfile the engine profile whose speeds the latency predictor starts from (one of
 *                      {@code EngineProfiles}), or empty to derive them from the accelerator and model size
 * @param pricePerHour  what the endpoint costs per hour, in dollars
 * @param egressPerGb   egress fee per GB leaving its site, in dollars
 * @param capacity      dedicated or preemptible
 * @param replicaSize   number of nodes the replica spans (1 for a single server)
 * @param capacityWeight how many requests it takes, relative to a single server of the pool: load-based
 *                      scores and saturation thresholds are per unit of weight; default {@code replicaSize}
 */
public record Endpoint(
        String id,
        URI url,
        String pool,
        String serverType,
        Set<String> models,
        String region,
        String zone,
        SiteKind site,
        Accelerator accelerator,
        String engineProfile,
        double pricePerHour,
        double egressPerGb,
        CapacityKind capacity,
        int replicaSize,
        double capacityWeight) {

    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(serverType, "serverType");
        models = Set.copyOf(models);
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(engineProfile, "engineProfile");
        Objects.requireNonNull(capacity, "capacity");
        if (pricePerHour < 0) {
            throw new IllegalArgumentException("pricePerHour: " + pricePerHour + " (expected: >= 0)");
        }
        if (egressPerGb < 0) {
            throw new IllegalArgumentException("egressPerGb: " + egressPerGb + " (expected: >= 0)");
        }
        if (replicaSize < 1) {
            throw new IllegalArgumentException("replicaSize: " + replicaSize + " (expected: >= 1)");
        }
        if (!(capacityWeight > 0) || Double.isInfinite(capacityWeight)) {
            throw new IllegalArgumentException("capacityWeight: " + capacityWeight + " (expected: a finite number > 0)");
        }
    }

    public boolean serves(String model) {
        return models.contains(model);
    }

    public static Builder builder(String id, URI url) {
        return new Builder(id, url);
    }

    /** Builds an {@link Endpoint}; every field but id and URL has a sensible default. */
    public static final class Builder {
        private final String id;
        private final URI url;
        private String pool = "default";
        private String serverType = "vllm";
        private Set<String> models = Set.of();
        private String region = "local";
        private String zone = "";
        private SiteKind site = SiteKind.CLOUD;
        private Accelerator accelerator = Accelerator.NONE;
        private String engineProfile = "";
        private double pricePerHour;
        private double egressPerGb;
        private CapacityKind capacity = CapacityKind.DEDICATED;
        private int replicaSize = 1;
        /** NaN until set: then it follows {@link #replicaSize}. */
        private double capacityWeight = Double.NaN;

        private Builder(String id, URI url) {
            this.id = id;
            this.url = url;
        }

        public Builder pool(String pool) { this.pool = pool; return this; }
        public Builder serverType(String serverType) { this.serverType = serverType; return this; }
        public Builder models(Set<String> models) { this.models = models; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder zone(String zone) { this.zone = zone; return this; }
        public Builder site(SiteKind site) { this.site = site; return this; }
        public Builder accelerator(Accelerator accelerator) { this.accelerator = accelerator; return this; }
        public Builder engineProfile(String engineProfile) { this.engineProfile = engineProfile; return this; }
        public Builder pricePerHour(double pricePerHour) { this.pricePerHour = pricePerHour; return this; }
        public Builder egressPerGb(double egressPerGb) { this.egressPerGb = egressPerGb; return this; }
        public Builder capacity(CapacityKind capacity) { this.capacity = capacity; return this; }
        public Builder replicaSize(int replicaSize) { this.replicaSize = replicaSize; return this; }
        public Builder capacityWeight(double capacityWeight) { this.capacityWeight = capacityWeight; return this; }

        public Endpoint build() {
            return new Endpoint(id, url, pool, serverType, models, region, zone, site, accelerator, engineProfile,
                    pricePerHour, egressPerGb, capacity, replicaSize,
                    Double.isNaN(capacityWeight) ? replicaSize : capacityWeight);
        }
    }
}
