package io.infergate.emulator;

import io.vertx.core.http.HttpServerResponse;

/**
 * The answer to one API request that went to the engine: submits it, receives its events and writes
 * the response, and keeps vLLM's request metrics. A request whose connection closes before it is
 * answered is dropped from the engine and counted as aborted.
 */
abstract sealed class Reply implements EngineDriver.Listener permits GenerationReply, EmbeddingReply {

    static final String JSON_CONTENT_TYPE = "application/json";

    final HttpServerResponse response;
    final ModelRuntime runtime;
    private final long receivedNanos;
    private long engineId;
    private boolean over;

    /** @param receivedNanos when the request arrived, on the runtime's ticker */
    Reply(HttpServerResponse response, ModelRuntime runtime, long receivedNanos) {
        this.response = response;
        this.runtime = runtime;
        this.receivedNanos = receivedNanos;
    }

    /** Hands the request to the engine; its events start arriving afterwards. */
    final void submit(int promptTokens, int outputTokens, long priority) {
        engineId = runtime.engine().submit(promptTokens, outputTokens, priority, this);
        response.closeHandler(v -> abort());
    }

    /** Records the time to first token; call on token 0. */
    final void firstToken() {
        runtime.metrics().firstToken(runtime.ticker().read() - receivedNanos);
    }

    /** Records a completed request; returns false when the connection is gone and nothing may be written. */
    final boolean complete(String finishReason) {
        over = true;
        runtime.metrics().finished(runtime.ticker().read() - receivedNanos, finishReason);
        return !response.closed();
    }

    /** The client went away or the server cut the response: drops the request from the engine. */
    final void abort() {
        if (!over) {
            over = true;
            runtime.engine().abort(engineId);
            runtime.metrics().aborted();
        }
    }
}
