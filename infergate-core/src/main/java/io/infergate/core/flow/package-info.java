/**
 * Flow control: which request goes to the scheduler now, which waits, and which is turned away.
 * Start with {@link io.infergate.core.flow.FlowController}, one per model: {@code admit} answers an
 * {@link io.infergate.core.flow.Admission} (dispatch, queued with a {@link io.infergate.core.flow.Ticket},
 * or rejected with a {@link io.infergate.core.flow.Rejection}), {@code poll} hands out waiting requests
 * when capacity frees, {@code expire} and {@code remove} take them out.
 *
 * <p>{@link io.infergate.core.flow.FlowPolicy} holds the configuration: the
 * {@link io.infergate.core.flow.PriorityClass}es in strict order, tenants' weights for the deficit
 * round robin inside a class ({@code ClassQueue}), the {@link io.infergate.core.flow.CriticalReserve} kept
 * for the highest class (by default following its demand, which the controller measures), and the
 * {@link io.infergate.core.flow.SaturationThresholds} that turn a fleet snapshot into a
 * {@link io.infergate.core.flow.Headroom}. {@code DrainRate} measures how fast a pool dispatches (for
 * {@code Retry-After} and the reserve) and how fast critical requests arrive. Like the scheduler, nothing here does I/O or reads a clock.
 */
package io.infergate.core.flow;
