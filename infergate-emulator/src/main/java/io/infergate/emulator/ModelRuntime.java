package io.infergate.emulator;

import io.infergate.core.time.Ticker;

/**
 * What answering a request needs, shared by all requests of one server and used on its event loop.
 *
 * @param engine  the engine timing model, running against the wall clock
 * @param output  the generated text and vectors
 * @param metrics the server's vLLM metrics
 * @param ticker  the wall clock latencies are measured with
 */
record ModelRuntime(EngineDriver engine, OutputGenerator output, VllmMetrics metrics, Ticker ticker) {
}
