/**
 * The HTTP side of a load run. Start with {@link io.infergate.loadgen.client.LoadClient}, which sends an
 * {@link io.infergate.loadgen.client.OutgoingRequest} and reports an {@link io.infergate.loadgen.client.Exchange}
 * (timings from the intended send time, and an {@link io.infergate.loadgen.client.Outcome});
 * {@link io.infergate.loadgen.client.SseParser} and {@link io.infergate.loadgen.client.TokenChunks} read streams.
 */
package io.infergate.loadgen.client;
