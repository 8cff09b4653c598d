package io.infergate.core.predict;

import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.request.RoutingRequest;

import java.net.URI;
import java.util.Set;

/** Endpoints, scrapes and requests for the predictor's tests: one model, Llama-3.1-8B. */
final class TestEndpoints {

    static final String MODEL = "llama-3.1-8b-instruct";
    static final long MS = 1_000_000L;

    private static int port = 9000;

    private TestEndpoints() {
    }

    /** An endpoint serving {@link #MODEL} on one device of {@code acceleratorType}, e.g. {@code NVIDIA_L4}. */
    static Endpoint endpoint(String id, String acceleratorType) {
        return Endpoint.builder(id, URI.create("http://127.0.0.1:" + port++))
                .models(Set.of(MODEL)).accelerator(new Accelerator(acceleratorType, 1)).build();
    }

    /** A fresh scrape taken at {@code scrapedAtNanos} with nothing in flight from the gateway then. */
    static EndpointLoad scraped(int waiting, int running, double kvCacheUsage, long scrapedAtNanos) {
        return scraped(waiting, running, kvCacheUsage, 0, scrapedAtNanos);
    }

    static EndpointLoad scraped(int waiting, int running, double kvCacheUsage, int inFlightAtScrape,
                                long scrapedAtNanos) {
        return new EndpointLoad(waiting, running, kvCacheUsage, Double.NaN, Double.NaN, inFlightAtScrape,
                scrapedAtNanos, false, true, Lifecycle.READY);
    }

    /** A server that exports no queue figures (an {@code openai}-type endpoint): healthy, ready, figures unknown. */
    static EndpointLoad unscraped() {
        return EndpointLoad.UNKNOWN;
    }

    static RoutingRequest stream(String id, int promptTokens, int maxTokens) {
        return request(id, promptTokens, maxTokens, true);
    }

    static RoutingRequest whole(String id, int promptTokens, int maxTokens) {
        return request(id, promptTokens, maxTokens, false);
    }

    private static RoutingRequest request(String id, int promptTokens, int maxTokens, boolean stream) {
        return new RoutingRequest(id, MODEL, promptTokens, maxTokens, stream, "standard", "", "",
                RoutingRequest.NO_PREFIX);
    }

    static RoutingRequest ofClass(RoutingRequest request, String priority) {
        return new RoutingRequest(request.requestId(), request.model(), request.promptTokens(), request.maxTokens(),
                request.stream(), priority, request.tenant(), request.clientRegion(), request.prefixHashes());
    }
}
