/**
 * Time for a policy core that never reads a clock of its own: {@link io.infergate.core.time.Ticker} is a
 * source of monotonic nanoseconds ({@code Ticker.system()} in the gateway, a virtual one in tests), and
 * {@link io.infergate.core.time.SlidingCounts} sums a few counters over a sliding window of ticker time.
 */
package io.infergate.core.time;
