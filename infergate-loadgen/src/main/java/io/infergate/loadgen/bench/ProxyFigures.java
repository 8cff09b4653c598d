package io.infergate.loadgen.bench;

import java.util.OptionalDouble;

/**
 * What a proxy process cost during a bench, read from {@code /proc}.
 *
 * @param cpuUsPerRequest CPU time (user + system, whole process tree) during the measured run, per request sent
 * @param maxRps          the highest rate it sustained in the rate search; empty when the scenario does not search
 * @param rssMb           the largest resident memory seen during the measured run, in MiB
 */
public record ProxyFigures(double cpuUsPerRequest, OptionalDouble maxRps, double rssMb) {
}
