package io.infergate.loadgen.bench;

/**
 * Starts the fleet a {@link FleetSpec} describes. The bench command uses the emulator; tests may use
 * their own servers.
 *
 * <pre>{@code
 * FleetLauncher launcher = EmulatorFleets::start;
 * }</pre>
 */
@FunctionalInterface
public interface FleetLauncher {

    BenchFleet start(FleetSpec spec);
}
