/**
 * When requests are meant to leave. Start with {@link io.infergate.loadgen.arrival.ArrivalProcess}
 * (constant, Poisson, bursts, or a schedule from a file), then {@link io.infergate.loadgen.arrival.SendSchedule},
 * which turns a process into intended send times ahead of sending, independent of any answer.
 */
package io.infergate.loadgen.arrival;
