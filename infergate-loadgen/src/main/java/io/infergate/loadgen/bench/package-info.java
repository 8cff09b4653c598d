/**
 * {@code ./infergate bench}: one scenario against direct, nginx, HAProxy and infergate in front of the same
 * emulated fleet. Start with {@link io.infergate.loadgen.bench.BenchRunner} (driven by
 * {@link io.infergate.loadgen.bench.BenchOptions}, returning {@link io.infergate.loadgen.bench.BenchResults});
 * {@link io.infergate.loadgen.bench.BenchScenario} says what each scenario sends and measures,
 * {@link io.infergate.loadgen.bench.SystemLauncher} starts each system with the configs of
 * {@link io.infergate.loadgen.bench.ProxyConfigs}, {@link io.infergate.loadgen.bench.EmulatorFleets} starts the
 * fleet, {@link io.infergate.loadgen.bench.FaultPlan} and {@link io.infergate.loadgen.bench.AttackPlan} play the
 * phases of {@code faults} and {@code attack} (the attacker itself is in {@code io.infergate.loadgen.attack}),
 * and {@link io.infergate.loadgen.bench.BenchResultsJson}, {@link io.infergate.loadgen.bench.BenchReportHtml}
 * and {@link io.infergate.loadgen.bench.RatioTable} write the results.
 */
package io.infergate.loadgen.bench;
