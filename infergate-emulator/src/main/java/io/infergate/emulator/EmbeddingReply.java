package io.infergate.emulator;

import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers one embeddings request when the engine has prefilled its inputs: one deterministic unit
 * vector per input. The engine sees all inputs as one prompt, capped at the model's length.
 */
final class EmbeddingReply implements EngineDriver.Listener {

    private final EmbeddingRequest request;
    private final HttpServerResponse response;
    private final ModelRuntime runtime;
    private final long receivedNanos;
    private long engineId;

    EmbeddingReply(EmbeddingRequest request, HttpServerResponse response, ModelRuntime runtime, long receivedNanos) {
        this.request = request;
        this.response = response;
        this.runtime = runtime;
        this.receivedNanos = receivedNanos;
    }

    void start(int maxModelLen) {
        engineId = runtime.engine().submit(Math.min(request.promptTokens(), maxModelLen), 0, this);
        response.closeHandler(v -> {
            if (runtime.engine().abort(engineId)) {
                runtime.metrics().aborted();
            }
        });
    }

    @Override
    public void token(int index) {
        throw new IllegalStateException("embeddings request " + engineId + ": token " + index
                + " (expected: none, it was submitted with zero output tokens)");
    }

    @Override
    public void finished() {
        runtime.metrics().finished(runtime.ticker().read() - receivedNanos, "stop");
        List<float[]> vectors = new ArrayList<>(request.inputs().size());
        for (String input : request.inputs()) {
            vectors.add(runtime.output().embedding(runtime.output().key(request.model(), input), request.dimensions()));
        }
        if (!response.closed()) {
            response.putHeader("content-type", GenerationReply.JSON_CONTENT_TYPE)
                    .end(OpenAiJson.embeddings(request.model(), vectors, request.base64(), request.promptTokens()));
        }
    }
}
