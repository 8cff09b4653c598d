package io.infergate.loadgen.bench;

/**
 * The fleet a bench scenario needs; a {@link FleetLauncher} turns it into running servers.
 *
 * <pre>{@code
 * FleetSpec chat = new FleetSpec.Demo(5, 4);          // the demo's GPUs, 5× real time, 4 sequences each
 * FleetSpec instant = new FleetSpec.Instant(4);       // four servers that answer at once
 * FleetSpec cached = new FleetSpec.Replicas(4, 5, 32_768);   // four A100s with small prefix caches
 * }</pre>
 */
public sealed interface FleetSpec {

    /**
     * The heterogeneous fleet of {@code infergate demo}: A100s, an H100, an A10G and a slow L4 at the edge.
     *
     * @param speed      time scale: 5 runs the emulated GPUs five times faster than real ones
     * @param maxNumSeqs running-batch bound of each server, lowered from vLLM's 256 so that the fleet
     *                   saturates at a rate this machine can send and relay
     */
    record Demo(double speed, int maxNumSeqs) implements FleetSpec {
        public Demo {
            requirePositive("speed", speed);
            requirePositive("maxNumSeqs", maxNumSeqs);
        }
    }

    /**
     * {@code servers} identical emulated A100s serving Llama 3 8B, each a copy of the demo fleet's cloud
     * A100: the starting fleet of {@code autoscale}, which the gateway's autoscaler grows with more of the
     * same, and the fleet of {@code homogeneous}.
     *
     * @param servers    servers started by the bench
     * @param speed      time scale, as in {@link Demo}
     * @param maxNumSeqs running-batch bound of each server, as in {@link Demo}
     * @param gpuFigures whether each server's metrics page also carries a DCGM exporter's GPU figures (the
     *                   demo fleet's do not)
     */
    record Uniform(int servers, double speed, int maxNumSeqs, boolean gpuFigures) implements FleetSpec {
        public Uniform {
            requirePositive("servers", servers);
            requirePositive("speed", speed);
            requirePositive("maxNumSeqs", maxNumSeqs);
        }
    }

    /** {@code servers} emulators that answer at once: the proxy's own cost is all that is left. */
    record Instant(int servers) implements FleetSpec {
        public Instant {
            requirePositive("servers", servers);
        }
    }

    /**
     * {@code servers} emulators able to hold very many streams at once, each sending one token every
     * {@code tokenIntervalMillis}.
     */
    record SlowStreams(int servers, long tokenIntervalMillis) implements FleetSpec {
        public SlowStreams {
            requirePositive("servers", servers);
            requirePositive("tokenIntervalMillis", tokenIntervalMillis);
        }
    }

    /**
     * {@code servers} identical A100s serving Llama-3-8B, {@code speed} times faster than real ones.
     *
     * @param prefixCacheTokens 0 for no prefix caching; else vLLM's automatic prefix caching on, with a
     *                          KV cache of this many tokens (at least 8192, the model length), small enough
     *                          that the conversations of a run do not all fit on every server
     */
    record Replicas(int servers, double speed, int prefixCacheTokens) implements FleetSpec {
        public Replicas {
            requirePositive("servers", servers);
            requirePositive("speed", speed);
            if (prefixCacheTokens != 0 && prefixCacheTokens < 8192) {
                throw new IllegalArgumentException("prefixCacheTokens: " + prefixCacheTokens + " (expected: 0 or >= 8192)");
            }
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
