package io.infergate.loadgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A streaming-aware HTTP client for load runs, on a pooled keep-alive Vert.x {@link HttpClient}. It
 * times each request from its intended send time: first content token, the gaps between tokens, and
 * the end; and it classifies failures by {@link ErrorKind}. An {@code https} target is reached over TLS
 * (HTTP/1.1) without checking its certificate, as wrk and hey do: a load run measures a server, it does
 * not authenticate it, and benches serve self-signed certificates.
 *
 * <p>{@link #send} must be called on a Vert.x context; every callback of that request then runs on
 * the same context, so a request's state needs no locking.
 *
 * <pre>{@code
 * LoadClient client = new LoadClient(vertx, 1000, Ticker.system());
 * context.runOnContext(v -> client.send(request, intendedNanos, deadlineNanos,
 *         gap -> itl.recordValue(gap), exchange -> record(exchange)));
 * ...
 * client.close();
 * }</pre>
 */
public final class LoadClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final HttpClient http;
    private final Ticker ticker;

    /**
     * @param vertx                    the Vert.x instance whose event loops run the requests
     * @param maxConnectionsPerTarget  pool size per target; at least the number of requests meant to be
     *                                 in flight at once, so none waits for a connection
     * @param ticker                   the clock of intended send times
     */
    public LoadClient(Vertx vertx, int maxConnectionsPerTarget, Ticker ticker) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (maxConnectionsPerTarget < 1) {
            throw new IllegalArgumentException("maxConnectionsPerTarget: " + maxConnectionsPerTarget + " (expected: >= 1)");
        }
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) CONNECT_TIMEOUT_MILLIS)
                .setDecompressionSupported(false)
                .setTrustAll(true)
                .setVerifyHost(false);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(maxConnectionsPerTarget).setMaxWaitQueueSize(-1);
        this.http = vertx.createHttpClient(options, pool);
    }

    /**
     * Sends one request and reports its {@link Exchange} to {@code done} exactly once.
     *
     * @param request        what to send
     * @param intendedNanos  when the schedule meant it to leave
     * @param deadlineNanos  when it fails as a {@link ErrorKind#TIMEOUT} if not complete
     * @param interTokenGaps receives the gap between consecutive content chunks of a stream, in nanos
     * @param done           receives the result
     */
    public void send(OutgoingRequest request, long intendedNanos, long deadlineNanos, LongConsumer interTokenGaps,
                     Consumer<Exchange> done) {
        new InFlightRequest(request, intendedNanos, interTokenGaps, done).start(deadlineNanos);
    }

    @Override
    public void close() {
        http.close().await();
    }

    /** The state of one request; touched only on its context. */
    private final class InFlightRequest {
        private final OutgoingRequest request;
        private final long intendedNanos;
        private final LongConsumer interTokenGaps;
        private final Consumer<Exchange> done;
        private long sentNanos;
        private long timerId = -1;
        private HttpClientRequest httpRequest;
        private int status;
        private long firstTokenNanos = -1;
        private long lastTokenNanos;
        private long tokens;
        private boolean sawDone;
        private boolean finished;

        InFlightRequest(OutgoingRequest request, long intendedNanos, LongConsumer interTokenGaps,
                        Consumer<Exchange> done) {
            this.request = request;
            this.intendedNanos = intendedNanos;
            this.interTokenGaps = interTokenGaps;
            this.done = done;
        }

        void start(long deadlineNanos) {
            sentNanos = ticker.read();
            long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - sentNanos));
            timerId = vertx.setTimer(timeoutMillis, id -> {
                timerId = -1;
                fail(ErrorKind.TIMEOUT, "no complete answer within the timeout");
            });
            URI target = request.target();
            boolean tls = "https".equals(target.getScheme());
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(target.getHost())
                    .setSsl(tls)
                    .setPort(target.getPort() >= 0 ? target.getPort() : tls ? 443 : 80)
                    .setURI(basePath(target) + request.path())
                    .setConnectTimeout(Math.min(timeoutMillis, CONNECT_TIMEOUT_MILLIS));
            http.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    fail(classify(ar.cause()), String.valueOf(ar.cause()));
                    return;
                }
                httpRequest = ar.result();
                if (finished) {
                    httpRequest.reset();
                    return;
                }
                httpRequest.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                request.headers().forEach(httpRequest::putHeader);
                httpRequest.send(request.body()).onComplete(response -> {
                    if (response.failed()) {
                        fail(classify(response.cause()), String.valueOf(response.cause()));
                    } else {
                        receive(response.result());
                    }
                });
            });
        }

        private void receive(HttpClientResponse response) {
            status = response.statusCode();
            if (status >= 400) {
                response.handler(ignored -> { });
                response.exceptionHandler(e -> fail(ErrorKind.ofStatus(status), "HTTP " + status));
                response.endHandler(v -> fail(ErrorKind.ofStatus(status), "HTTP " + status));
            } else if (request.stream()) {
                SseParser parser = new SseParser(this::onEvent);
                response.handler(parser::feed);
                response.exceptionHandler(e -> fail(ErrorKind.STREAM_CUT, String.valueOf(e)));
                response.endHandler(v -> {
                    if (sawDone) {
                        finish(new Outcome.Ok(status, tokens), ticker.read());
                    } else {
                        fail(ErrorKind.STREAM_CUT, "stream ended without data: [DONE] after " + tokens + " tokens");
                    }
                });
            } else {
                Buffer body = Buffer.buffer();
                response.handler(body::appendBuffer);
                response.exceptionHandler(e -> fail(ErrorKind.IO, String.valueOf(e)));
                response.endHandler(v -> {
                    firstTokenNanos = ticker.read();
                    finish(new Outcome.Ok(status, completionTokens(body)), firstTokenNanos);
                });
            }
        }

        private void onEvent(String data) {
            if (TokenChunks.isDone(data)) {
                sawDone = true;
            } else if (TokenChunks.hasContent(data)) {
                long now = ticker.read();
                if (firstTokenNanos < 0) {
                    firstTokenNanos = now;
                } else {
                    interTokenGaps.accept(now - lastTokenNanos);
                }
                lastTokenNanos = now;
                tokens++;
            }
        }

        private void fail(ErrorKind kind, String detail) {
            boolean first = !finished;
            finish(new Outcome.Failed(kind, status, detail), ticker.read());
            // reset only once the timeout is recorded: resetting fails the response stream at once
            if (first && kind == ErrorKind.TIMEOUT && httpRequest != null) {
                httpRequest.reset();
            }
        }

        private void finish(Outcome outcome, long endNanos) {
            if (finished) {
                return;
            }
            finished = true;
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
            done.accept(new Exchange(intendedNanos, sentNanos, firstTokenNanos, endNanos, outcome));
        }
    }

    private static String basePath(URI target) {
        String path = target.getRawPath();
        return path == null || path.equals("/") ? "" : path.replaceAll("/+$", "");
    }

    private static long completionTokens(Buffer body) {
        try {
            JsonNode tokens = JSON.readTree(body.getBytes()).path("usage").path("completion_tokens");
            return tokens.canConvertToLong() ? tokens.asLong() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static ErrorKind classify(Throwable cause) {
        if (cause instanceof ConnectException) {
            return ErrorKind.CONNECT;
        }
        if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
            return ErrorKind.TIMEOUT;
        }
        return ErrorKind.IO;
    }
}
