package io.infergate.loadgen.bench;

import java.util.List;

/**
 * A running fleet of inference servers that every system of a bench is put in front of.
 *
 * <pre>{@code
 * try (BenchFleet fleet = launcher.start(FleetSpec.demo(10))) {
 *     fleet.members().forEach(m -> System.out.println(m.id() + " " + m.url()));
 * }
 * }</pre>
 */
public interface BenchFleet extends AutoCloseable {

    List<FleetMember> members();

    /** One line saying what the fleet is, for reports. */
    String description();

    /** Stops every server. */
    @Override
    void close();
}
