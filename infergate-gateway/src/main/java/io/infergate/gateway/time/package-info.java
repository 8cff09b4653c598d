/**
 * Coarse deadlines for the data plane's timeouts, checked by one periodic sweep per event loop instead of
 * one Vert.x timer each.
 *
 * <p>Start reading at {@link io.infergate.gateway.time.DeadlineSweep}.
 */
package io.infergate.gateway.time;
