package io.infergate.emulator;

import io.infergate.core.engine.EngineModel;
import io.infergate.core.engine.EngineProfile;
import io.infergate.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One emulated inference server on one event loop: the HTTP routes, fault injection and the engine
 * driver. Routes: the flavour's health path ({@code GET /health}, Triton's {@code GET /v2/health/ready}),
 * {@code GET /metrics} in the flavour's dialect, {@code GET /v1/models},
 * {@code POST /v1/chat/completions}, {@code POST /v1/completions}, {@code POST /v1/embeddings} and
 * {@code GET|POST|DELETE /emulator/faults}.
 */
final class EmulatorVerticle extends VerticleBase {

    private final EmulatorOptions options;
    private final Ticker ticker;
    private final Faults faults;
    private ModelRuntime runtime;
    private EmulatedGpu gpu;
    private RequestParser parser;
    private SplittableRandom random;
    private long readyAtNanos;
    private HttpServer server;
    private int port;

    EmulatorVerticle(EmulatorOptions options, Ticker ticker) {
        this.options = options;
        this.ticker = ticker;
        this.faults = new Faults(options.faults(), this::listening);
        this.port = options.port();
    }

    Faults faults() {
        return faults;
    }

    /** The port bound; valid once deployed. */
    int port() {
        return port;
    }

    EngineDriver engine() {
        return runtime.engine();
    }

    @Override
    public Future<?> start() {
        EngineProfile profile = options.profile();
        EngineDriver driver = new EngineDriver(vertx, new EngineModel(profile, options.schedulingPolicy()), ticker, options.speed());
        gpu = EmulatedGpu.forProfile(profile.name(), options.seed());
        PrefixCache prefixCache = new PrefixCache(profile.kvBlockTokens(),
                options.prefixCaching() ? profile.kvCacheTokens() / profile.kvBlockTokens() : 0);
        RequestMetrics metrics = options.flavor().metrics().newRequestMetrics();
        runtime = new ModelRuntime(driver, new OutputGenerator(options.seed()), metrics, prefixCache, ticker);
        parser = new RequestParser(options.models(), options.profile(), options.schedulingPolicy());
        random = new SplittableRandom(options.seed());
        readyAtNanos = ticker.read() + options.startupDelay().toNanos();
        return bind().compose(v -> faults.current().refuse() ? unbind() : Future.succeededFuture());
    }

    @Override
    public Future<?> stop() {
        runtime.engine().stop();
        return unbind();
    }

    /** Starts or stops listening; callable from any thread. */
    private Future<Void> listening(boolean on) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> (on ? bind() : unbind()).onComplete(done));
        return done.future();
    }

    private Future<Void> bind() {
        if (server != null) {
            return Future.succeededFuture();
        }
        HttpServerOptions serverOptions = new HttpServerOptions().setHandle100ContinueAutomatically(true);
        options.tls().ifPresent(tls -> tls.apply(serverOptions));
        HttpServer created = vertx.createHttpServer(serverOptions)
                .requestHandler(this::handle);
        server = created;
        return created.listen(port, options.host())
                .onSuccess(s -> port = s.actualPort())
                .onFailure(e -> server = null)
                .mapEmpty();
    }

    private Future<Void> unbind() {
        if (server == null) {
            return Future.succeededFuture();
        }
        HttpServer closing = server;
        server = null;
        return closing.close();
    }

    private void handle(HttpServerRequest request) {
        long receivedNanos = ticker.read();
        FaultSettings faulty = faults.current();
        HttpServerResponse response = request.response();
        if (request.path().equals(options.flavor().healthPath())) {
            if (allowed(request, HttpMethod.GET) && !faulty.hang()) {
                response.setStatusCode(warmingUp() ? options.flavor().notReadyStatus() : 200).end();
            }
            return;
        }
        switch (request.path()) {
            case "/metrics" -> {
                if (allowed(request, HttpMethod.GET)) {
                    response.putHeader("content-type", MetricsPage.CONTENT_TYPE).end(metricsPage());
                }
            }
            case "/v1/models" -> {
                if (allowed(request, HttpMethod.GET) && !faulty.hang()) {
                    response.putHeader("content-type", Reply.JSON_CONTENT_TYPE).end(OpenAiJson.models(
                            options.models(), System.currentTimeMillis() / 1000, options.profile().maxModelLen()));
                }
            }
            case "/v1/chat/completions" -> api(request, faulty, body ->
                    new GenerationReply(parser.generation(GenerationApi.CHAT, body), response, runtime, receivedNanos,
                            faulty.dieAfterTokens()).start());
            case "/v1/completions" -> api(request, faulty, body ->
                    new GenerationReply(parser.generation(GenerationApi.COMPLETION, body), response, runtime,
                            receivedNanos, faulty.dieAfterTokens()).start());
            case "/v1/embeddings" -> api(request, faulty, body ->
                    new EmbeddingReply(parser.embedding(body), response, runtime, receivedNanos)
                            .start(options.profile().maxModelLen()));
            case "/emulator/faults" -> faultsRoute(request);
            default -> error(response, new ApiException(404, "NotFoundError", "Not Found: " + request.path()));
        }
    }

    /**
     * An OpenAI API call: reads the body, injects the faults drawn for it, then hands it to
     * {@code admit}, which parses it and submits it to the engine.
     */
    private void api(HttpServerRequest request, FaultSettings faulty, Consumer<Buffer> admit) {
        if (!allowed(request, HttpMethod.POST)) {
            return;
        }
        HttpServerResponse response = request.response();
        request.body().onSuccess(body -> {
            if (faulty.hang()) {
                return;
            }
            if (warmingUp()) {
                error(response, new ApiException(503, "ServiceUnavailableError", "the model is still loading"));
                return;
            }
            if (faulty.errorRate() > 0 && random.nextDouble() < faulty.errorRate()) {
                error(response, new ApiException(500, "InternalServerError",
                        "injected fault: error rate " + faulty.errorRate()));
                return;
            }
            Runnable admitNow = () -> {
                if (response.closed()) {
                    return;
                }
                try {
                    admit.accept(body);
                } catch (ApiException e) {
                    error(response, e);
                }
            };
            if (faulty.latencySpike().isPositive() && random.nextDouble() < faulty.latencySpikeProbability()) {
                vertx.timer(faulty.latencySpike().toNanos(), TimeUnit.NANOSECONDS).onSuccess(v -> admitNow.run());
            } else {
                admitNow.run();
            }
        });
    }

    private void faultsRoute(HttpServerRequest request) {
        if (!allowed(request, HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)) {
            return;
        }
        HttpServerResponse response = request.response().putHeader("content-type", Reply.JSON_CONTENT_TYPE);
        if (request.method() == HttpMethod.GET) {
            response.end(FaultsJson.render(faults.current()));
        } else if (request.method() == HttpMethod.DELETE) {
            faults.clear();
            response.end(FaultsJson.render(faults.current()));
        } else {
            request.body().onSuccess(body -> {
                FaultSettings current = faults.current();
                FaultsJson.Update update;
                try {
                    update = FaultsJson.apply(current, body);
                } catch (ApiException e) {
                    error(response, e);
                    return;
                }
                faults.set(update.settings().withRefuse(current.refuse()));
                response.end(FaultsJson.render(update.settings())).onComplete(sent -> {
                    faults.refuse(update.settings().refuse());
                    if (update.refuseFor().isPositive()) {
                        vertx.timer(update.refuseFor().toNanos(), TimeUnit.NANOSECONDS)
                                .onSuccess(v -> faults.refuse(false));
                    }
                });
            });
        }
    }

    /** The metrics page in the flavour's dialect, with the DCGM exporter's GPU figures when asked for. */
    private String metricsPage() {
        EngineDriver engine = runtime.engine();
        engine.pump();
        ServerState state = new ServerState(options.models().getFirst(), engine.stats(), options.profile(),
                runtime.metrics(), runtime.prefixCache(), gpu, engine.gpuUtilisation());
        MetricsPage page = new MetricsPage();
        options.flavor().metrics().render(page, state);
        if (options.dcgm()) {
            DcgmMetrics.render(page, state);
        }
        return page.text();
    }

    private boolean warmingUp() {
        return ticker.read() < readyAtNanos;
    }

    private static boolean allowed(HttpServerRequest request, HttpMethod... methods) {
        for (HttpMethod method : methods) {
            if (request.method() == method) {
                return true;
            }
        }
        String expected = String.join(", ", Arrays.stream(methods).map(HttpMethod::name).toList());
        request.response().putHeader("allow", expected);
        error(request.response(), new ApiException(405, "MethodNotAllowedError",
                "Method Not Allowed: " + request.method() + " " + request.path() + " (expected: " + expected + ")"));
        return false;
    }

    private static void error(HttpServerResponse response, ApiException e) {
        response.setStatusCode(e.status()).putHeader("content-type", Reply.JSON_CONTENT_TYPE)
                .end(OpenAiJson.error(e.status(), e.type(), e.getMessage()));
    }
}
