package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.FlowRequest;
import io.infergate.core.flow.Rejection;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.health.OutlierDetector;
import io.infergate.core.model.ModelCatalog;
import io.infergate.core.retry.AdaptiveTimeout;
import io.infergate.core.retry.FirstByteTimeouts;
import io.infergate.core.retry.HedgingPolicy;
import io.infergate.core.retry.RetryBudget;
import io.infergate.core.retry.RetryPolicy;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.time.FakeTicker;
import io.infergate.gateway.config.FlowControlConfig;
import io.infergate.gateway.event.AttemptObserver;
import io.infergate.gateway.event.ExchangeEnd;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.HedgeEvent;
import io.infergate.gateway.event.SentAttempt;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.flow.FlowLease;
import io.infergate.gateway.observe.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One exchange driven without sockets: the client and the endpoints are stand-ins ({@link Fakes}), the
 * ticker is fake (no per-try timeout fires), and every step runs on one Vert.x event loop as it would in
 * the gateway. The socket tests (ResilienceTest, ClientGoneTest, FlowControlTest) stay the acceptance layer.
 */
class ProxyExchangeTest {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"stream\":true,\"max_tokens\":5}";

    private final List<Endpoint> endpoints = List.of(endpoint("e1"), endpoint("e2"));
    // Built for each test and (by setUp) for each try of the property, which jqwik runs on one instance.
    private Vertx vertx;
    private Context loop;
    private FakeTicker ticker;
    private FleetState fleet;
    private GatewayMetrics metrics;
    private List<String> events;
    private List<Call> calls;
    private InferenceProxy proxy;

    @BeforeEach
    @BeforeTry
    void setUp() {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        ticker = new FakeTicker();
        fleet = new FleetState(FleetSnapshot.of(endpoints));
        metrics = new GatewayMetrics(fleet, new ScrapedFigures(2), "round-robin", Optional.empty());
        events = new CopyOnWriteArrayList<>();
        calls = new CopyOnWriteArrayList<>();
    }

    @AfterEach
    @AfterTry
    void closeVertx() {
        vertx.close();
    }

    @Test
    void aFiveHundredIsRetriedOnTheOtherEndpointAndOnlyTheSecondAnswerReachesTheClient() throws Exception {
        start(new FlowControlConfig(false, FlowPolicy.defaults(), Map.of()), Optional.empty());
        Client client = send();

        await(() -> calls.size() == 1);
        onLoop(() -> calls.getFirst().answer(503, "text/plain", "busy"));
        await(() -> calls.size() == 2);
        onLoop(() -> calls.get(1).answer(200, "text/event-stream", "data: {}\n\n"));
        onLoop(() -> calls.get(1).end());

        assertThat(client.status).isEqualTo(200);
        assertThat(client.headers.get(Headers.ENDPOINT)).isEqualTo(calls.get(1).endpointId());
        assertThat(calls.get(1).endpointId()).isNotEqualTo(calls.getFirst().endpointId());
        assertThat(client.body.toString()).isEqualTo("data: {}\n\n");
        assertThat(events).containsSubsequence("failed status_5xx", "retried status_5xx", "first byte", "done success");
        assertThat(fleet.count(0) + fleet.count(1)).as("every endpoint's room given back").isZero();
    }

    @Test
    void aClientGoneWhileStreamingResetsTheUpstreamWithoutBlamingTheEndpoint() throws Exception {
        start(new FlowControlConfig(false, FlowPolicy.defaults(), Map.of()), Optional.empty());
        Client client = send();
        await(() -> calls.size() == 1);
        onLoop(() -> calls.getFirst().answer(200, "text/event-stream", "data: {}\n\n"));

        onLoop(client::goAway);

        assertThat(calls.getFirst().reset).isTrue();
        assertThat(events).contains("done client_gone").noneMatch(event -> event.startsWith("failed"));
        assertThat(fleet.count(0) + fleet.count(1)).isZero();
    }

    @Test
    void aClientGoneWhileQueuedLeavesTheQueueAndTheNextRequestGoes() throws Exception {
        start(new FlowControlConfig(true, FlowPolicy.builder().saturation(new SaturationThresholds(5, 0.8, 1)).build(),
                Map.of()), Optional.empty());
        send();
        send();
        await(() -> calls.size() == 2);
        Client queued = send();
        await(() -> proxy.flow().queuedFor("m") == 1);

        onLoop(queued::goAway);
        Client next = send();
        await(() -> proxy.flow().queuedFor("m") == 1);
        onLoop(() -> calls.getFirst().answer(200, "application/json", "{}"));
        onLoop(() -> calls.getFirst().end());

        await(() -> calls.size() == 3);
        assertThat(queued.status).as("never answered: its client is gone").isZero();
        assertThat(events).containsSubsequence("done client_gone", "done success");
        onLoop(() -> calls.get(2).answer(200, "application/json", "{}"));
        onLoop(() -> calls.get(2).end());
        assertThat(next.status).isEqualTo(200);
    }

    @Test
    void aHedgeThatAnswersFirstWinsAndTheAttemptItRacedIsReset() throws Exception {
        start(new FlowControlConfig(false, FlowPolicy.defaults(), Map.of()), Optional.of(new Hedging(
                HedgingPolicy.builder().build(), new FirstByteTimeouts(() -> AdaptiveTimeout.builder()
                .window(Duration.ofSeconds(10), 10).minSamples(1).build()))));
        // One answer 20 ms after its sending teaches the pool's first-byte time; the next request is hedged after it.
        send();
        await(() -> calls.size() == 1);
        ticker.advanceMillis(20);
        onLoop(() -> calls.getFirst().answer(200, "text/event-stream", "data: {}\n\n"));
        onLoop(() -> calls.getFirst().end());
        ticker.advance(Duration.ofSeconds(2));      // past the percentile's refresh

        Client hedged = send();
        await(() -> calls.size() == 3);
        onLoop(() -> calls.get(2).answer(200, "text/event-stream", "data: {}\n\n"));
        onLoop(() -> calls.get(2).end());

        assertThat(calls.get(1).reset).as("the attempt that lost the race").isTrue();
        assertThat(calls.get(2).endpointId()).isNotEqualTo(calls.get(1).endpointId());
        assertThat(hedged.headers.get(Headers.ENDPOINT)).isEqualTo(calls.get(2).endpointId());
        assertThat(events).contains("hedged sent", "hedged hedge_won").noneMatch(event -> event.startsWith("failed"));
        assertThat(fleet.count(0) + fleet.count(1)).isZero();
    }

    /** One step of a random history of requests, endpoints and clients. */
    record Step(Kind kind, int index) {
        enum Kind { SEND, ANSWER_5XX, ANSWER_OK, END, GO_AWAY, PAUSE }
    }

    /**
     * However requests, answers, retries and departing clients interleave, every exchange ends once, and
     * once all are over flow control holds nothing: no request queued, no grant left counting, every
     * endpoint's room given back.
     */
    @Property(tries = 25)
    void everyExchangeEndsOnceAndReleasesItsHold(@ForAll("histories") List<Step> history) throws Exception {
        start(new FlowControlConfig(true, FlowPolicy.builder().saturation(new SaturationThresholds(5, 0.8, 1)).build(),
                Map.of()), Optional.empty());
        List<Client> clients = new ArrayList<>();
        for (Step step : history) {
            switch (step.kind()) {
                case SEND -> clients.add(send());
                case ANSWER_5XX -> onCall(step, call -> call.answer(503, "text/plain", "busy"));
                case ANSWER_OK -> onCall(step, call -> call.answer(200, "text/event-stream", "data: {}\n\n"));
                case END -> onCall(step, Call::end);
                case GO_AWAY -> {
                    if (!clients.isEmpty()) {
                        onLoop(clients.get(step.index() % clients.size())::goAway);
                    }
                }
                case PAUSE -> Thread.sleep(30);
            }
        }
        // The newest first: those still queued leave the queue before the older ones free their room.
        for (Client client : clients.reversed()) {
            onLoop(client::goAway);
        }

        await(() -> fleet.count(0) + fleet.count(1) == 0);
        assertThat(events.stream().filter(event -> event.startsWith("done"))).hasSize(clients.size());
        assertThat(proxy.flow().queuedFor("m")).isZero();
        assertThat(List.of(admitOne(), admitOne())).as("no grant leaked").containsOnly(FlowLease.State.GRANTED);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step.Kind> kinds = Arbitraries.frequency(Tuple.of(3, Step.Kind.SEND), Tuple.of(2, Step.Kind.GO_AWAY),
                Tuple.of(1, Step.Kind.ANSWER_5XX), Tuple.of(1, Step.Kind.ANSWER_OK), Tuple.of(1, Step.Kind.END),
                Tuple.of(1, Step.Kind.PAUSE));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 9))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(25);
    }

    private FlowLease.State admitOne() {
        return proxy.flow().admit("m", "standard", "", FlowRequest.NO_DEADLINE, new FlowGate.Waiter() {
            @Override
            public void dispatch() {
            }

            @Override
            public void reject(Rejection rejection) {
            }
        }).state();
    }

    private void onCall(Step step, java.util.function.Consumer<Call> action) throws Exception {
        if (!calls.isEmpty()) {
            Call call = calls.get(step.index() % calls.size());
            onLoop(() -> action.accept(call));
        }
    }

    private void start(FlowControlConfig flowControl, Optional<Hedging> hedging) throws Exception {
        FlowGate flow = new FlowGate(flowControl, List.of(), fleet, metrics, ticker);
        OutlierDetector detector = OutlierDetector.builder().build();
        detector.track(endpoints);
        Resilience resilience = new Resilience(detector, RetryPolicy.builder().maxAttempts(3).build(),
                Map.of("default", RetryBudget.builder().build()), new PerTryTimeout.Fixed(Duration.ofSeconds(60)),
                hedging, new EjectionWatch(), Optional.empty());
        ExchangeObserver observer = ExchangeObserver.of(List.of(new Recording(), flow, new PassiveHealth(detector)));
        ProxyServices services = new ProxyServices(fleet, Scheduler.roundRobin(), ProxySettings.defaults(), ticker,
                new RequestIds(), resilience, flow, ModelCatalog.of(Set.of("m"), List.of()), AdmissionGuard.OPEN,
                new Drain(), observer);
        HttpClient upstream = Fakes.of(HttpClient.class, Map.of("request", args -> {
            Call call = new Call((RequestOptions) args[0]);
            calls.add(call);
            return Future.succeededFuture(call.request);
        }));
        onLoop(() -> proxy = new InferenceProxy(vertx, upstream, services));
    }

    private Client send() throws Exception {
        Client client = new Client();
        onLoop(() -> new ProxyExchange(proxy, client.request, "r" + calls.size(), ticker.read(),
                Buffer.buffer(CHAT)).start());
        return client;
    }

    private void onLoop(Runnable step) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                step.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(5, TimeUnit.SECONDS);
    }

    /** Waits for what a backoff timer or a hop between threads brings. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 5 s").isLessThan(end);
            Thread.sleep(5);
        }
    }

    private static Endpoint endpoint(String id) {
        return Endpoint.builder(id, URI.create("http://" + id + ".test:8000")).models(Set.of("m")).build();
    }

    /** Writes the events the exchange fires. */
    private final class Recording implements ExchangeObserver {
        @Override
        public void firstByte(SentAttempt attempt, long nowNanos) {
            events.add("first byte");
        }

        @Override
        public void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
            events.add("failed " + kind);
        }

        @Override
        public void retried(String kind) {
            events.add("retried " + kind);
        }

        @Override
        public void hedged(HedgeEvent event) {
            events.add("hedged " + event.label());
        }

        @Override
        public void done(ExchangeEnd end) {
            events.add("done " + end.outcome().label());
        }

        @Override
        public AttemptObserver attemptSent(SentAttempt attempt) {
            events.add("sent " + attempt.endpoint().id());
            return AttemptObserver.NONE;
        }
    }

    /** The client's side of the exchange: its request, and the response as the client would see it. */
    private static final class Client {
        final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        final Buffer body = Buffer.buffer();
        volatile int status;
        boolean ended;
        Handler<Void> closeHandler;
        final HttpServerResponse response = Fakes.of(HttpServerResponse.class, Map.ofEntries(
                Map.entry("closeHandler", args -> {
                    closeHandler = cast(args[0]);
                    return Fakes.SELF;
                }),
                Map.entry("putHeader", args -> {
                    headers.set(args[0].toString(), args[1].toString());
                    return Fakes.SELF;
                }),
                Map.entry("headers", args -> headers),
                Map.entry("ended", args -> ended),
                Map.entry("closed", args -> false),
                Map.entry("setStatusCode", args -> {
                    status = (int) args[0];
                    return Fakes.SELF;
                }),
                Map.entry("writeQueueFull", args -> false),
                Map.entry("write", args -> {
                    body.appendBuffer((Buffer) args[0]);
                    return Future.succeededFuture();
                }),
                Map.entry("end", args -> {
                    if (args.length == 1) {
                        body.appendBuffer(args[0] instanceof Buffer buffer ? buffer : Buffer.buffer(args[0].toString()));
                    }
                    ended = true;
                    return Future.succeededFuture();
                })));
        final HttpServerRequest request = Fakes.of(HttpServerRequest.class, Map.of(
                "headers", args -> MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json"),
                "response", args -> response,
                "method", args -> HttpMethod.POST,
                "path", args -> "/v1/chat/completions",
                "query", args -> null));

        void goAway() {
            if (closeHandler != null) {
                closeHandler.handle(null);
            }
        }
    }

    /** One request to an endpoint, answered when the test says so. */
    private static final class Call {
        final RequestOptions options;
        final Promise<HttpClientResponse> answer = Promise.promise();
        final MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
        volatile boolean reset;
        Handler<Buffer> chunks;
        Handler<Void> end;
        final HttpClientRequest request = Fakes.of(HttpClientRequest.class, Map.of(
                "headers", args -> requestHeaders,
                "send", args -> answer.future(),
                "reset", args -> {
                    reset = true;
                    answer.tryFail("reset");
                    return Future.succeededFuture();
                }));

        Call(RequestOptions options) {
            this.options = options;
        }

        String endpointId() {
            return options.getHost().substring(0, options.getHost().indexOf('.'));
        }

        /** The endpoint answers {@code status} with {@code firstChunk}: a 5xx in full, any other as its first chunk. */
        void answer(int status, String contentType, String firstChunk) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("content-type", contentType);
            answer.tryComplete(Fakes.of(HttpClientResponse.class, Map.of(
                    "statusCode", args -> status,
                    "headers", args -> headers,
                    "getHeader", args -> headers.get(args[0].toString()),
                    "body", args -> Future.succeededFuture(Buffer.buffer(firstChunk)),
                    "handler", args -> {
                        chunks = cast(args[0]);
                        if (chunks != null) {
                            chunks.handle(Buffer.buffer(firstChunk));
                        }
                        return Fakes.SELF;
                    },
                    "endHandler", args -> {
                        end = cast(args[0]);
                        return Fakes.SELF;
                    })));
        }

        /** The endpoint ends its answer, if it began one and the relay still listens. */
        void end() {
            if (end != null) {
                end.handle(null);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object handler) {
        return (T) handler;
    }
}
