package io.infergate.emulator;

import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers one embeddings request when the engine has prefilled its inputs: one deterministic unit
 * vector per input. The engine sees all inputs as one prompt, capped at the model's length.
 */
final class EmbeddingReply extends Reply {

    private final EmbeddingRequest request;

    EmbeddingReply(EmbeddingRequest request, HttpServerResponse response, ModelRuntime runtime, long receivedNanos) {
        super(response, runtime, receivedNanos);
        this.request = request;
    }

    void start(int maxModelLen) {
        submit(Math.min(request.promptTokens(), maxModelLen), 0, request.priority());
    }

    @Override
    public void token(int index) {
        throw new IllegalStateException("embeddings request: token " + index
                + " (expected: none, it was submitted with zero output tokens)");
    }

    @Override
    public void finished() {
        if (!complete("stop")) {
            return;
        }
        List<float[]> vectors = new ArrayList<>(request.inputs().size());
        for (String input : request.inputs()) {
            vectors.add(runtime.output().embedding(runtime.output().key(request.model(), input), request.dimensions()));
        }
        response.putHeader("content-type", JSON_CONTENT_TYPE)
                .end(OpenAiJson.embeddings(request.model(), vectors, request.base64(), request.promptTokens()));
    }
}
