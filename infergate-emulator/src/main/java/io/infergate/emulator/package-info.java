/**
 * The inference-server emulator: a vLLM-like HTTP server (OpenAI API with streaming, {@code /health},
 * {@code /metrics} with vLLM's names) whose timing comes from the core's engine timing model, with
 * fault injection. Start with {@link io.infergate.emulator.EmulatorServer} and
 * {@link io.infergate.emulator.EmulatorOptions}; {@link io.infergate.emulator.EmulatedFleet} starts
 * several, {@link io.infergate.emulator.EmulateCommand} is {@code infergate emulate}. Inside, the
 * package-private {@code EmulatorVerticle} routes requests and {@code EngineDriver} runs the engine
 * model against the wall clock.
 */
package io.infergate.emulator;
