package io.infergate.loadgen.bench;

import io.infergate.emulator.FaultSettings;

import java.util.List;

/**
 * A running fleet of inference servers that every system of a bench is put in front of.
 *
 * <pre>{@code
 * try (BenchFleet fleet = EmulatorFleets.start(new FleetSpec.Demo(5, 4))) {
 *     double rate = 0.7 * fleet.capacityRps(425, 195);
 *     fleet.members().forEach(m -> System.out.println(m.id() + " " + m.url()));
 * }
 * }</pre>
 */
public interface BenchFleet extends AutoCloseable {

    List<FleetMember> members();

    /** One line saying what the fleet is, for reports. */
    String description();

    /**
     * The most requests per second the whole fleet completes, every server kept full, for requests of
     * these mean prompt and output lengths: the rate that "70 % of capacity" is taken of.
     */
    double capacityRps(double meanPromptTokens, double meanOutputTokens);

    /**
     * How much faster than real time the fleet's servers run; latency objectives are divided by it, so
     * that goodput means what it would in real time.
     */
    double speed();

    /**
     * Switches the faults of member {@code memberId} to {@code faults} ({@link FaultSettings#NONE} to
     * heal it), returning once they apply; a refusing member has stopped listening by then.
     *
     * @throws UnsupportedOperationException when this fleet's servers take no faults
     */
    default void setFaults(String memberId, FaultSettings faults) {
        throw new UnsupportedOperationException(description() + ": cannot inject faults into " + memberId);
    }

    /** Stops every server. */
    @Override
    void close();
}
