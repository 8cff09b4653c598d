package io.infergate.loadgen.bench;

import io.infergate.loadgen.report.Percentiles;

import java.util.List;

/**
 * What prefix caching gave a system in the {@code prefix} scenario: the fleet's prefix-cache hit rate
 * (prompt tokens found cached over prompt tokens looked up, summed over the servers, from vLLM's
 * {@code vllm:prefix_cache_hits_total} and {@code vllm:prefix_cache_queries_total}, read before and
 * after the measured run) and the time to first token, which the prefill the cache saves shortens.
 *
 * <pre>{@code
 * PrefixFigures.Counters before = PrefixFigures.Counters.read(fleet.members());
 * LoadReport report = LoadGenerator.run(load, progress);
 * PrefixFigures f = PrefixFigures.of(before, PrefixFigures.Counters.read(fleet.members()), report.overall().ttft());
 * }</pre>
 *
 * @param hitRate   cached prompt tokens over prompt tokens, 0 to 1
 * @param ttftMeanMs mean time to first token of the measured requests
 * @param ttftP99Ms  its 99th percentile
 */
public record PrefixFigures(double hitRate, double ttftMeanMs, double ttftP99Ms) {

    static final String HITS = "vllm:prefix_cache_hits_total";
    static final String QUERIES = "vllm:prefix_cache_queries_total";

    public static PrefixFigures of(Counters before, Counters after, Percentiles ttft) {
        long queries = after.queries() - before.queries();
        return new PrefixFigures(queries == 0 ? 0 : (after.hits() - before.hits()) / (double) queries,
                ttft.meanMs(), ttft.p99Ms());
    }

    /**
     * The fleet's prefix-cache counters at one moment, summed over its servers.
     *
     * @param hits    prompt tokens found cached
     * @param queries prompt tokens looked up
     */
    public record Counters(long hits, long queries) {

        /** Reads every member's {@code /metrics} page and sums its counters. */
        public static Counters read(List<FleetMember> members) {
            long hits = 0;
            long queries = 0;
            for (FleetMember m : members) {
                Counters one = parse(BenchRunner.fetch(m.url().resolve("/metrics")), m.id());
                hits += one.hits();
                queries += one.queries();
            }
            return new Counters(hits, queries);
        }

        /** The counters of one Prometheus text page, summed over their label sets; {@code server} names it in errors. */
        static Counters parse(String metrics, String server) {
            long hits = 0;
            long queries = 0;
            boolean seen = false;
            for (String line : metrics.split("\n")) {
                if (line.startsWith(HITS)) {
                    hits += value(line);
                    seen = true;
                } else if (line.startsWith(QUERIES)) {
                    queries += value(line);
                }
            }
            if (!seen) {
                throw new IllegalStateException(server + ": no " + HITS + " in its metrics (expected: a vLLM server"
                        + " with prefix caching, e.g. the emulator with --prefix-caching)");
            }
            return new Counters(hits, queries);
        }

        private static long value(String line) {
            return Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
    }
}
