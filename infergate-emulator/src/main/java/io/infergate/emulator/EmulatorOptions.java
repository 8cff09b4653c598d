package io.infergate.emulator;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.core.engine.SchedulingPolicy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start one {@link EmulatorServer}. The profile held here is the effective one, with the
 * builder's overrides (max sequences, fixed decode step, default output length) applied.
 *
 * <pre>{@code
 * EmulatorOptions options = EmulatorOptions.builder()
 *         .port(0).profile("l4-llama3-8b").speed(10).models(List.of("llama-3.1-8b-instruct"))
 *         .decodeStepMillis(100)   // every engine step exactly 100 ms (10 ms at speed 10)
 *         .flavor(Flavor.SGLANG).dcgm(true).prefixCaching(true)
 *         .schedulingPolicy(SchedulingPolicy.PRIORITY)   // as vLLM's --scheduling-policy priority
 *         .build();
 * }</pre>
 *
 * @param host         address to listen on
 * @param port         port to listen on; 0 picks a free one
 * @param profile      the engine's speed and capacity
 * @param speed        how much faster than real time the engine runs; 10 makes every engine time ten times shorter
 * @param models       model names served, the first one names the metrics
 * @param seed         seed of the generated text, embeddings, ids and fault draws
 * @param faults       faults injected from the start
 * @param startupDelay how long after start the server answers 503 to health checks and API calls, like a
 *                     server loading its model
 * @param flavor       which server's metric names and health path it uses
 * @param dcgm         whether its metrics page also carries a DCGM exporter's GPU figures
 * @param prefixCaching whether prompts sharing a prefix with recent ones skip its prefill (vLLM's
 *                     automatic prefix caching)
 * @param schedulingPolicy the order waiting requests enter the running batch: by arrival, or by the
 *                     request's {@code priority} field, lower first, as vLLM's {@code --scheduling-policy}
 * @param tls          TLS on the server (then its URL is {@code https://}); empty for plain HTTP
 */
public record EmulatorOptions(
        String host,
        int port,
        EngineProfile profile,
        double speed,
        List<String> models,
        long seed,
        FaultSettings faults,
        Duration startupDelay,
        Flavor flavor,
        boolean dcgm,
        boolean prefixCaching,
        SchedulingPolicy schedulingPolicy,
        Optional<EmulatorTls> tls) {

    public EmulatorOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535, 0 for a free port)");
        }
        Objects.requireNonNull(profile, "profile");
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed: " + speed + " (expected: a finite number > 0)");
        }
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("models: [] (expected: at least one model name)");
        }
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(startupDelay, "startupDelay");
        if (startupDelay.isNegative()) {
            throw new IllegalArgumentException("startupDelay: " + startupDelay + " (expected: >= 0)");
        }
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(schedulingPolicy, "schedulingPolicy");
        Objects.requireNonNull(tls, "tls");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These options with another port; a started server reports its options with the port it bound. */
    public EmulatorOptions withPort(int port) {
        return new EmulatorOptions(host, port, profile, speed, models, seed, faults, startupDelay, flavor, dcgm,
                prefixCaching, schedulingPolicy, tls);
    }

    /** These options with other model names, e.g. those of the pool a node joins. */
    public EmulatorOptions withModels(List<String> models) {
        return new EmulatorOptions(host, port, profile, speed, models, seed, faults, startupDelay, flavor, dcgm,
                prefixCaching, schedulingPolicy, tls);
    }

    /** These options with another engine profile, e.g. one with a smaller running batch. */
    public EmulatorOptions withProfile(EngineProfile profile) {
        return new EmulatorOptions(host, port, profile, speed, models, seed, faults, startupDelay, flavor, dcgm,
                prefixCaching, schedulingPolicy, tls);
    }

    /** These options with another scheduling policy, e.g. for a fleet whose servers schedule by priority. */
    public EmulatorOptions withSchedulingPolicy(SchedulingPolicy schedulingPolicy) {
        return new EmulatorOptions(host, port, profile, speed, models, seed, faults, startupDelay, flavor, dcgm,
                prefixCaching, schedulingPolicy, tls);
    }

    /**
     * Base URL of a server started with these options, e.g. {@code http://127.0.0.1:8000} ({@code https://}
     * with TLS); the API is
     * under {@code /v1}. A server listening on every address is reached through the loopback address.
     *
     * @throws IllegalStateException when the port is 0: only the started server knows its port
     */
    public URI url() {
        if (port == 0) {
            throw new IllegalStateException("url: port 0 (expected: the port bound; ask the started server)");
        }
        String address = switch (host) {
            case "0.0.0.0", "::" -> "127.0.0.1";
            default -> host.contains(":") ? "[" + host + "]" : host;
        };
        return URI.create((tls.isPresent() ? "https://" : "http://") + address + ":" + port);
    }

    /**
     * Builds {@link EmulatorOptions}; defaults: 127.0.0.1, free port, a100-llama3-8b, speed 1,
     * llama-3.1-8b-instruct, seed 42, vLLM flavour, no DCGM figures, no prefix caching, first come first served.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private EngineProfile profile = EngineProfiles.A100_LLAMA3_8B;
        private double speed = 1.0;
        private List<String> models = List.of("llama-3.1-8b-instruct");
        private long seed = 42;
        private FaultSettings faults = FaultSettings.NONE;
        private Duration startupDelay = Duration.ZERO;
        private Flavor flavor = Flavor.VLLM;
        private boolean dcgm;
        private boolean prefixCaching;
        private SchedulingPolicy schedulingPolicy = SchedulingPolicy.FCFS;
        private Optional<EmulatorTls> tls = Optional.empty();
        private int maxNumSeqs;
        private long decodeStepMillis;
        private int defaultMaxTokens;

        private Builder() {
        }

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder speed(double speed) { this.speed = speed; return this; }
        public Builder models(List<String> models) { this.models = models; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder faults(FaultSettings faults) { this.faults = faults; return this; }
        public Builder startupDelay(Duration startupDelay) { this.startupDelay = startupDelay; return this; }
        public Builder flavor(Flavor flavor) { this.flavor = flavor; return this; }
        public Builder dcgm(boolean dcgm) { this.dcgm = dcgm; return this; }
        public Builder prefixCaching(boolean prefixCaching) { this.prefixCaching = prefixCaching; return this; }
        public Builder schedulingPolicy(SchedulingPolicy policy) { this.schedulingPolicy = policy; return this; }
        public Builder tls(EmulatorTls tls) { this.tls = Optional.of(tls); return this; }

        /** A built-in profile by name, see {@link EngineProfiles}. */
        public Builder profile(String name) {
            this.profile = EngineProfiles.named(name);
            return this;
        }

        public Builder profile(EngineProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** Overrides the profile's running-batch bound. */
        public Builder maxNumSeqs(int maxNumSeqs) {
            this.maxNumSeqs = requirePositive("maxNumSeqs", maxNumSeqs);
            return this;
        }

        /**
         * Makes every engine step take exactly this long (divided by the speed), whatever the batch and
         * prefill: tokens of a stream then come exactly this far apart. See {@link EngineProfile#withFixedStep}.
         */
        public Builder decodeStepMillis(long millis) {
            this.decodeStepMillis = requirePositive("decodeStepMillis", millis);
            return this;
        }

        /** Output length of a reply whose request sets no {@code max_tokens}. */
        public Builder defaultMaxTokens(int tokens) {
            this.defaultMaxTokens = requirePositive("defaultMaxTokens", tokens);
            return this;
        }

        public EmulatorOptions build() {
            EngineProfile effective = profile;
            if (maxNumSeqs > 0) {
                effective = effective.toBuilder().maxNumSeqs(maxNumSeqs).build();
            }
            if (defaultMaxTokens > 0) {
                effective = effective.toBuilder().defaultOutputTokens(defaultMaxTokens).build();
            }
            if (decodeStepMillis > 0) {
                effective = effective.withFixedStep(Duration.ofMillis(decodeStepMillis));
            }
            return new EmulatorOptions(host, port, effective, speed, models, seed, faults, startupDelay, flavor, dcgm,
                    prefixCaching, schedulingPolicy, tls);
        }

        private static int requirePositive(String field, long value) {
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: >= 1)");
            }
            return (int) value;
        }
    }
}
