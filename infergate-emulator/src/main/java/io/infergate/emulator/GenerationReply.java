package io.infergate.emulator;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers one chat or completion request as its tokens come out of the engine: streamed, one
 * server-sent event per token ({@code data: {...}}, then {@code data: [DONE]}), or as one JSON body
 * at the end. The reply has exactly the engine's tokens, so {@code completion_tokens} is the number of
 * tokens streamed.
 */
final class GenerationReply extends Reply {

    static final String SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final GenerationRequest request;
    private final int dieAfterTokens;
    private final long outputKey;
    private final String id;
    private final long created;
    private final StringBuilder text = new StringBuilder();
    private Future<Void> written = Future.succeededFuture();

    /**
     * @param receivedNanos  when the request arrived, on the runtime's ticker
     * @param dieAfterTokens cut the connection when this many tokens were sent, or -1
     */
    GenerationReply(GenerationRequest request, HttpServerResponse response, ModelRuntime runtime, long receivedNanos,
                    int dieAfterTokens) {
        super(response, runtime, receivedNanos);
        this.request = request;
        this.dieAfterTokens = dieAfterTokens;
        this.outputKey = runtime.output().key(request.model(), request.prompt());
        this.id = runtime.output().nextId(request.api().idPrefix);
        this.created = System.currentTimeMillis() / 1000;
    }

    /**
     * Submits the request to the engine, without the prompt tokens the prefix cache holds; a stream's
     * headers go out at once, as vLLM's do.
     */
    void start() {
        if (request.stream()) {
            response.setChunked(true).putHeader("content-type", SSE_CONTENT_TYPE).putHeader("cache-control", "no-cache");
            written = response.writeHead();
        }
        int cached = runtime.prefixCache().lookup(request.model(), request.prompt(), request.promptTokens());
        submit(request.promptTokens() - cached, request.outputTokens(), request.priority());
    }

    @Override
    public void token(int index) {
        if (index == 0) {
            firstToken();
        }
        if (index == dieAfterTokens) {
            abort();
            written.onComplete(sent -> response.reset()); // what was sent arrives, then the connection drops
            return;
        }
        String token = runtime.output().token(outputKey, index);
        if (!request.stream()) {
            text.append(token);
            return;
        }
        boolean last = index == request.outputTokens() - 1;
        if (index == 0 && request.api() == GenerationApi.CHAT) {
            event(OpenAiJson.chunk(request.api(), id, created, request.model(), true, "", null, request.includeUsage()));
        }
        event(OpenAiJson.chunk(request.api(), id, created, request.model(), false, token,
                last ? request.finishReason() : null, request.includeUsage()));
    }

    @Override
    public void finished() {
        if (!complete(request.finishReason())) {
            return;
        }
        if (!request.stream()) {
            response.putHeader("content-type", JSON_CONTENT_TYPE).end(OpenAiJson.response(request.api(), id, created,
                    request.model(), text.toString(), request.finishReason(), request.promptTokens(),
                    request.outputTokens()));
            return;
        }
        if (request.includeUsage()) {
            event(OpenAiJson.usageChunk(request.api(), id, created, request.model(), request.promptTokens(),
                    request.outputTokens()));
        }
        response.end("data: [DONE]\n\n");
    }

    private void event(String json) {
        if (!response.closed()) {
            written = response.write("data: " + json + "\n\n");
        }
    }
}
