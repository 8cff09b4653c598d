package io.infergate.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-style server for tests, on a loopback port chosen by the OS, whose behaviour per model
 * name is fixed in advance: known delays, a known token cadence, errors, cut streams. It records when
 * each request arrived.
 *
 * <pre>{@code
 * try (TestInferenceServer server = TestInferenceServer.start(Map.of("m", new Behaviour.Answer(100)))) {
 *     URI target = server.url();
 * }
 * }</pre>
 */
public final class TestInferenceServer implements AutoCloseable {

    /** What the server does for a model. */
    public sealed interface Behaviour {
        /** A non-streamed answer with {@code usage.completion_tokens = max_tokens}, after {@code delayMillis}. */
        record Answer(long delayMillis) implements Behaviour {
        }

        /** A stream: the first token after {@code firstTokenMillis}, then one every {@code gapMillis}, then [DONE]. */
        record Stream(long firstTokenMillis, int tokens, long gapMillis) implements Behaviour {
        }

        /** An error status at once. */
        record Status(int status) implements Behaviour {
        }

        /**
         * Like an inference server: {@code min(max_tokens, tokenCap)} tokens, the first after
         * {@code firstTokenMillis} and then one every {@code gapMillis}, streamed or not as the request asks.
         */
        record Generate(long firstTokenMillis, long gapMillis, int tokenCap) implements Behaviour {
        }

        /** A stream of {@code tokens} tokens whose connection then closes without [DONE]. */
        record Cut(int tokens, long gapMillis) implements Behaviour {
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Behaviour> behaviours;
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private TestInferenceServer(Map<String, Behaviour> behaviours) {
        this.behaviours = Map.copyOf(behaviours);
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
    }

    public static TestInferenceServer start(Map<String, Behaviour> behaviours) {
        return new TestInferenceServer(behaviours);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** {@link System#nanoTime()} at the arrival of each request's head, in arrival order. */
    public List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The most requests the server held at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpServerRequest request) {
        arrivals.add(System.nanoTime());
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean over = new AtomicBoolean();
        Runnable leave = () -> {
            if (over.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        request.response().endHandler(v -> leave.run());
        request.response().closeHandler(v -> leave.run());
        request.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            Behaviour behaviour = Objects.requireNonNull(behaviours.get(json.getString("model")),
                    "no behaviour for model " + json.getString("model"));
            int maxTokens = json.getInteger("max_tokens", 16);
            HttpServerResponse response = request.response();
            switch (behaviour) {
                case Behaviour.Answer a -> vertx.setTimer(Math.max(1, a.delayMillis()), id -> answer(response, maxTokens));
                case Behaviour.Generate g -> {
                    int tokens = Math.min(maxTokens, g.tokenCap());
                    if (json.getBoolean("stream", false)) {
                        startStream(response);
                        vertx.setTimer(Math.max(1, g.firstTokenMillis()), id -> streamTokens(response, tokens, g.gapMillis(), true));
                    } else {
                        vertx.setTimer(Math.max(1, g.firstTokenMillis() + (tokens - 1) * g.gapMillis()), id -> answer(response, tokens));
                    }
                }
                case Behaviour.Status s -> response.setStatusCode(s.status()).end("{\"error\":\"injected\"}");
                case Behaviour.Stream s -> {
                    startStream(response);
                    vertx.setTimer(Math.max(1, s.firstTokenMillis()), id -> streamTokens(response, s.tokens(), s.gapMillis(), true));
                }
                case Behaviour.Cut c -> {
                    startStream(response);
                    streamTokens(response, c.tokens(), c.gapMillis(), false);
                }
            }
        });
    }

    private static void answer(HttpServerResponse response, int tokens) {
        response.putHeader("content-type", "application/json")
                .end(new JsonObject()
                        .put("choices", List.of(Map.of("text", "x".repeat(tokens))))
                        .put("usage", Map.of("completion_tokens", tokens)).encode());
    }

    private static void startStream(HttpServerResponse response) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
    }

    private void streamTokens(HttpServerResponse response, int left, long gapMillis, boolean finish) {
        if (left == 0) {
            if (finish) {
                response.end("data: [DONE]\n\n");
            } else {
                response.reset();
            }
            return;
        }
        response.write("data: {\"choices\":[{\"delta\":{\"content\":\"tok\"}}]}\n\n");
        vertx.setTimer(Math.max(1, gapMillis), id -> streamTokens(response, left - 1, gapMillis, finish));
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
