package io.infergate.loadgen.bench;

/**
 * The fleet a bench scenario needs; a {@link FleetLauncher} turns it into running servers.
 *
 * <pre>{@code
 * FleetSpec chat = new FleetSpec.Demo(10);            // heterogeneous GPUs, 10× real time
 * FleetSpec instant = new FleetSpec.Instant(4);       // four servers that answer at once
 * }</pre>
 */
public sealed interface FleetSpec {

    /**
     * The heterogeneous fleet of {@code infergate demo} (several GPU types in several pretend regions).
     *
     * @param speed time scale: 10 runs the emulated GPUs ten times faster than real ones
     */
    record Demo(double speed) implements FleetSpec {
        public Demo {
            requirePositive("speed", speed);
        }
    }

    /** {@code servers} emulators that answer at once: the proxy's own cost is all that is left. */
    record Instant(int servers) implements FleetSpec {
        public Instant {
            requirePositive("servers", servers);
        }
    }

    /**
     * {@code servers} emulators able to hold very many slow streams at once.
     *
     * @param servers         how many
     * @param tokensPerSecond each stream's token rate
     */
    record SlowStreams(int servers, double tokensPerSecond) implements FleetSpec {
        public SlowStreams {
            requirePositive("servers", servers);
            requirePositive("tokensPerSecond", tokensPerSecond);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
