package io.infergate.emulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.infergate.emulator.TestHttp.chat;
import static org.assertj.core.api.Assertions.assertThat;

class TimingTest {

    @Test
    void withAFixedDecodeStepTokensComeThatFarApart() throws Exception {
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder()
                .profile("a100-llama3-8b").decodeStepMillis(100).speed(1).build())) {
            long sent = System.nanoTime();
            TestHttp.Streamed streamed = TestHttp.stream(server.url(), "/v1/chat/completions",
                    chat("llama-3.1-8b-instruct", "tick", true, "\"max_tokens\":6"));

            List<Long> arrivals = tokenArrivals(streamed);
            assertThat(arrivals).hasSize(6);
            assertThat(millis(arrivals.getFirst() - sent)).isBetween(90.0, 250.0); // one step: prefill
            // Each gap jitters with the scheduler of a busy machine; their mean is the step.
            assertThat(gapsMillis(arrivals)).allSatisfy(gap -> assertThat(gap).isBetween(40.0, 200.0));
            assertThat(millis(arrivals.getLast() - arrivals.getFirst()) / 5).isBetween(90.0, 125.0);
        }
    }

    @Test
    void speedDividesEveryEngineTime() throws Exception {
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder()
                .profile("a100-llama3-8b").decodeStepMillis(100).speed(10).build())) {
            TestHttp.Streamed streamed = TestHttp.stream(server.url(), "/v1/chat/completions",
                    chat("llama-3.1-8b-instruct", "tock", true, "\"max_tokens\":21"));

            List<Long> arrivals = tokenArrivals(streamed);
            double meanGap = millis(arrivals.getLast() - arrivals.getFirst()) / 20;
            assertThat(meanGap).isBetween(8.0, 16.0);
        }
    }

    @Test
    void aLongerPromptWaitsLongerForItsFirstToken() throws Exception {
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder().profile("l4-llama3-8b").build())) {
            String shortPrompt = "x".repeat(40);       // 10 tokens: about 70 ms
            String longPrompt = "x".repeat(4 * 2000);  // 2000 tokens in one chunk of 2048: about 600 ms

            double shortTtft = firstTokenMillis(server, shortPrompt);
            double longTtft = firstTokenMillis(server, longPrompt);

            assertThat(shortTtft).isBetween(60.0, 250.0);
            assertThat(longTtft).isGreaterThan(shortTtft + 400);
        }
    }

    private static double firstTokenMillis(EmulatorServer server, String prompt) throws Exception {
        long sent = System.nanoTime();
        TestHttp.Streamed streamed = TestHttp.stream(server.url(), "/v1/completions",
                "{\"prompt\":\"" + prompt + "\",\"max_tokens\":1,\"stream\":true}");
        return millis(tokenArrivals(streamed).getFirst() - sent);
    }

    private static List<Long> tokenArrivals(TestHttp.Streamed streamed) {
        return streamed.lines().stream()
                .filter(l -> l.text().startsWith("data: {") && !l.text().contains("\"role\""))
                .map(TestHttp.TimedLine::arrivedNanos).toList();
    }

    private static List<Double> gapsMillis(List<Long> arrivals) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < arrivals.size(); i++) {
            gaps.add(millis(arrivals.get(i) - arrivals.get(i - 1)));
        }
        return gaps;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
