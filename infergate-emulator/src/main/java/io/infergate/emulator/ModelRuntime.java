package io.infergate.emulator;

import io.infergate.core.time.Ticker;

/**
 * What answering a request needs, shared by all requests of one server and used on its event loop.
 *
 * @param engine      the engine timing model, running against the wall clock
 * @param output      the generated text and vectors
 * @param metrics     latencies and finished requests, for the metrics page
 * @param prefixCache which prompt prefixes need no prefill
 * @param ticker      the wall clock latencies are measured with
 */
record ModelRuntime(EngineDriver engine, OutputGenerator output, RequestMetrics metrics, PrefixCache prefixCache,
                    Ticker ticker) {
}
