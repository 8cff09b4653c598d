/**
 * Choosing the endpoint for each request. Start with {@link io.infergate.core.schedule.Scheduler}:
 * its factories ({@code loadAware}, {@code roundRobin}, {@code leastInFlight}, {@code named}) are the
 * public surface, {@link io.infergate.core.schedule.SchedulerConfig} weighs the scorers, and
 * {@link io.infergate.core.schedule.Pick} / {@link io.infergate.core.schedule.PickExplanation} are what
 * comes back.
 *
 * <p>Inside, every built-in scheduler is a {@code PipelineScheduler}: {@code Filter}s
 * ({@code AcceptsRequestsFilter}, {@code NotExcludedFilter}, {@code DedicatedForCriticalFilter}, run
 * together by {@link io.infergate.core.schedule.EndpointFilters}, which schedulers outside this package
 * reuse) →
 * {@code Scorer}s ({@code LoadScorer}
 * and friends, listed in {@code BuiltInScorers}; the scale and the handling of unknown figures are
 * described on {@code Scorer}) → a {@link io.infergate.core.schedule.Picker} fed by a
 * {@code SeedSource}. Scorers read the candidates' figures from a per-thread {@code Candidates}
 * table, in dense arrays, which keeps a pick at 1 000 endpoints within a few microseconds. A pick
 * never does I/O, never reads a clock and never draws from a shared random generator, so the
 * gateway, the simulator and {@code explain} all get the same answer.
 */
package io.infergate.core.schedule;
