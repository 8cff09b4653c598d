/**
 * JMH benchmarks of code on the request path. {@link io.infergate.benchmarks.SchedulerPickBenchmark}
 * measures one scheduler pick; its javadoc states the workload and the command that runs it, and the
 * results are in {@code docs/benchmarks.md}.
 */
package io.infergate.benchmarks;
