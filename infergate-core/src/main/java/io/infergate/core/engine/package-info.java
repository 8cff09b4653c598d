/**
 * The engine timing model: how long an inference server with continuous batching takes to answer.
 * Start with {@link io.infergate.core.engine.EngineModel}, which runs requests through a waiting queue,
 * a running batch and a KV cache in virtual time and reports {@link io.infergate.core.engine.EngineEvent}s;
 * its speed and capacity come from an {@link io.infergate.core.engine.EngineProfile}, built-in ones from
 * {@link io.infergate.core.engine.EngineProfiles}. The emulator drives it against the wall clock, the
 * simulator against virtual time.
 */
package io.infergate.core.engine;
