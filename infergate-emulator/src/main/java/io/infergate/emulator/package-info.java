/**
 * The inference-server emulator: a vLLM-like HTTP server (OpenAI API with streaming, {@code /health},
 * {@code /metrics} with vLLM's names) whose timing comes from the core's engine timing model, with
 * fault injection; a {@link io.infergate.emulator.Flavor} makes its metrics page and health path
 * SGLang's, TGI's or Triton's instead. Start with {@link io.infergate.emulator.EmulatorServer} and
 * {@link io.infergate.emulator.EmulatorOptions}; {@link io.infergate.emulator.EmulatedFleet} starts
 * several, {@link io.infergate.emulator.EmulateCommand} is {@code infergate emulate}. Inside, the
 * package-private {@code EmulatorVerticle} routes requests, {@code EngineDriver} runs the engine model
 * against the wall clock, each {@code MetricsDialect} writes one server's page from a
 * {@code ServerState}, and {@code PrefixCache} and {@code GpuActivity} add prefix caching and GPU
 * utilisation.
 */
package io.infergate.emulator;
