/**
 * infergate's open-loop load generator ({@code ./infergate load}). Start with
 * {@link io.infergate.loadgen.LoadGenerator}, which runs a {@link io.infergate.loadgen.scenario.Scenario}
 * and returns a {@link io.infergate.loadgen.report.LoadReport}; {@link io.infergate.loadgen.LoadCommand} is
 * the command line. Sub-packages: {@code arrival} (when requests leave), {@code scenario} (what they are),
 * {@code client} (sending and timing), {@code report} (JSON, table, HTML), {@code bench} (side-by-side
 * runs against nginx, HAProxy and infergate).
 */
package io.infergate.loadgen;
