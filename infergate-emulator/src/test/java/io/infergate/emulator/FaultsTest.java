package io.infergate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;

import static io.infergate.emulator.TestHttp.chat;
import static io.infergate.emulator.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultsTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final String CHAT = chat(MODEL, "hi", false, "\"max_tokens\":3");
    private EmulatorServer server;

    @BeforeEach
    void start() {
        server = EmulatorServer.start(EmulatorOptions.builder().profile("instant").build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anErrorRateOfOneFailsEveryApiRequestWithA500() throws Exception {
        server.faults().errorRate(1.0);

        HttpResponse<String> response = TestHttp.post(server.url(), "/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("InternalServerError");
        assertThat(TestHttp.get(server.url(), "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anErrorRateFailsAboutThatShareOfRequests() throws Exception {
        server.faults().errorRate(0.3);

        int failed = 0;
        for (int i = 0; i < 200; i++) {
            if (TestHttp.post(server.url(), "/v1/chat/completions", CHAT).statusCode() == 500) {
                failed++;
            }
        }

        assertThat(failed).isBetween(35, 85);
    }

    @Test
    void faultsCanBeSetAtStart() throws Exception {
        try (EmulatorServer failing = EmulatorServer.start(EmulatorOptions.builder()
                .profile("instant").faults(FaultSettings.NONE.withErrorRate(1.0)).build())) {
            assertThat(TestHttp.post(failing.url(), "/v1/chat/completions", CHAT).statusCode()).isEqualTo(500);
        }
    }

    @Test
    void aLatencySpikeHoldsTheRequestBack() throws Exception {
        server.faults().latencySpikes(1.0, Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> response = TestHttp.post(server.url(), "/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(300.0);
    }

    @Test
    void aHungServerAcceptsButNeverAnswersApiCallsOrHealthChecks() throws Exception {
        server.faults().hang(true);

        assertThatThrownBy(() -> TestHttp.post(server.url(), "/v1/chat/completions", CHAT, Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThatThrownBy(() -> TestHttp.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/health"))
                .timeout(Duration.ofMillis(300)).build())).isInstanceOf(HttpTimeoutException.class);
        assertThat(TestHttp.get(server.url(), "/metrics").statusCode()).isEqualTo(200);

        server.faults().clear();

        assertThat(TestHttp.post(server.url(), "/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamDiesAfterTheGivenNumberOfTokensWithoutDone() throws Exception {
        server.faults().dieMidStreamAfterTokens(3);

        TestHttp.Streamed streamed = TestHttp.stream(server.url(), "/v1/chat/completions",
                chat(MODEL, "hi", true, "\"max_tokens\":10"));

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.cut()).isNotNull();
        assertThat(streamed.done()).isFalse();
        assertThat(streamed.events()).hasSize(4); // the role chunk and three tokens
        assertThat(TestHttp.get(server.url(), "/metrics").body())
                .contains("vllm:request_success_total{finished_reason=\"abort\",model_name=\"" + MODEL + "\"} 1.0");
    }

    @Test
    void aRequestNotStreamedLosesItsConnectionWhenTheServerDies() {
        server.faults().dieMidStreamAfterTokens(1);

        assertThatThrownBy(() -> TestHttp.post(server.url(), "/v1/chat/completions", CHAT))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aRefusingServerClosesItsPortUntilToldOtherwise() throws Exception {
        int port = server.port();

        server.faults().refuse(true);

        // The listening socket is closed by the event loop; allow it a moment on a busy machine.
        assertThat(within(Duration.ofSeconds(2), () -> refuses(port))).isTrue();

        server.faults().refuse(false);

        assertThat(server.port()).isEqualTo(port);
        assertThat(TestHttp.get(server.url(), "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsAreSetAndClearedOverHttp() throws Exception {
        HttpResponse<String> set = TestHttp.post(server.url(), "/emulator/faults",
                "{\"error_rate\":1.0,\"die_after_tokens\":5}");

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(json(set.body()).get("error_rate").asDouble()).isEqualTo(1.0);
        assertThat(server.faults().current().dieAfterTokens()).isEqualTo(5);
        assertThat(TestHttp.post(server.url(), "/v1/chat/completions", CHAT).statusCode()).isEqualTo(500);

        HttpResponse<String> cleared = TestHttp.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/emulator/faults"))
                .DELETE().build());

        assertThat(json(cleared.body())).isEqualTo(json(FaultsJson.render(FaultSettings.NONE)));
        assertThat(TestHttp.post(server.url(), "/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownFaultFieldIsA400ThatListsTheKnownOnes() throws Exception {
        HttpResponse<String> response = TestHttp.post(server.url(), "/emulator/faults", "{\"error\":1}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("message").asText()).isEqualTo("field: error (expected one of: die_after_tokens, "
                + "error_rate, hang, latency_spike_ms, latency_spike_probability, refuse, refuse_for_ms)");
    }

    @Test
    void refuseForStopsListeningForAWhile() throws Exception {
        int port = server.port();

        assertThat(TestHttp.post(server.url(), "/emulator/faults", "{\"refuse_for_ms\":400}").statusCode()).isEqualTo(200);

        assertThat(within(Duration.ofSeconds(2), () -> refuses(port))).as("refused soon").isTrue();
        assertThat(within(Duration.ofSeconds(3), () -> !refuses(port))).as("listening again later").isTrue();
        assertThat(TestHttp.get(server.url(), "/health").statusCode()).isEqualTo(200);
    }

    private static boolean refuses(int port) throws IOException {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    /** Whether {@code condition} holds at some point within {@code limit}, checked every 5 ms. */
    private static boolean within(Duration limit, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
