package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.gateway.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A server whose metrics page stops answering has stale figures after scrape.stale_after_ms, not after the timeout. */
class ScrapeStalenessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void figuresTurnStaleWhenTheLastGoodScrapeIsOlderThanStaleAfter() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger scrapes = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            // The first scrape is answered; every later request hangs (the timeout is far longer than the test).
            // A path of its own: a gateway of an earlier test still scraping this port's last owner is not counted.
            if (request.path().equals("/stale-test-metrics") && scrapes.incrementAndGet() == 1) {
                request.response().end("vllm:num_requests_waiting{model_name=\"m\"} 3\n");
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        String yaml = """
                listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                scrape: {interval_ms: 50, timeout_ms: 60000, stale_after_ms: 400}
                pools:
                  - {name: p, type: vllm, models: [m], endpoints: [{id: slow-metrics, url: "http://127.0.0.1:%1$d",
                        metrics_url: "http://127.0.0.1:%1$d/stale-test-metrics"}]}
                """.formatted(server.actualPort());
        try (Gateway gateway = Gateway.start(ConfigLoader.parse(yaml, "stale.yaml"));
             HttpClient http = HttpClient.newHttpClient()) {
            URI endpoints = URI.create("http://127.0.0.1:" + gateway.adminPort() + "/admin/endpoints");

            JsonNode fresh = awaitLoad(http, endpoints, load -> load.path("waiting").asInt() == 3);
            assertThat(fresh.path("stale").asBoolean()).isFalse();
            long freshAt = System.nanoTime();

            awaitLoad(http, endpoints, load -> load.path("stale").asBoolean());
            long staleAfterMillis = (System.nanoTime() - freshAt) / 1_000_000;
            assertThat(staleAfterMillis).as("ms until stale").isLessThan(5_000);
            assertThat(scrapes.get()).as("one scrape at a time: the hung one is not piled on").isEqualTo(2);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode awaitLoad(HttpClient http, URI endpoints, java.util.function.Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoints).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode load = JSON.readTree(response.body()).get(0).path("load");
            if (condition.test(load)) {
                return load;
            }
            assertThat(System.nanoTime()).as("condition not met in time; last load " + load).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
