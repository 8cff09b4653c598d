package io.infergate.gateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open-loop non-streamed chat load through a {@link GatewayHarness}: one request every {@code 1/rate} s
 * for {@code run}, whatever the answers, with a change (a fault) made once at {@code changeAt}.
 *
 * <pre>{@code
 * List<SteadyLoad.Sample> done = new SteadyLoad(harness, 40, 48).run(Duration.ofSeconds(13),
 *         Duration.ofSeconds(5), () -> harness.emulators.get(2).faults().hang(true));
 * double p99 = SteadyLoad.p99Millis(done, 0, Duration.ofSeconds(5).toNanos());
 * }</pre>
 */
final class SteadyLoad {

    /** One request's fate: when it was sent (from the run's start), its latency, its status (-1: no answer within 20 s). */
    record Sample(long sentNanos, long latencyNanos, int status) {
    }

    private final GatewayHarness harness;
    private final int ratePerSecond;
    private final int maxTokens;

    SteadyLoad(GatewayHarness harness, int ratePerSecond, int maxTokens) {
        this.harness = harness;
        this.ratePerSecond = ratePerSecond;
        this.maxTokens = maxTokens;
    }

    /** Sends for {@code run} and waits for every answer. */
    List<Sample> run(Duration run) throws Exception {
        return run(run, run, () -> { });
    }

    /** Sends for {@code run}, runs {@code change} before the first request due at {@code changeAt} or later, and waits for every answer. */
    List<Sample> run(Duration run, Duration changeAt, Runnable change) throws Exception {
        List<CompletableFuture<Sample>> samples = new ArrayList<>();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        boolean changed = false;
        for (int i = 0; (long) i * interval < run.toNanos(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!changed && due - start >= changeAt.toNanos()) {
                changed = true;
                change.run();
            }
            samples.add(send(i, System.nanoTime(), start));
        }
        List<Sample> done = new ArrayList<>();
        for (CompletableFuture<Sample> sample : samples) {
            done.add(sample.get(30, TimeUnit.SECONDS));
        }
        return done;
    }

    private CompletableFuture<Sample> send(int i, long sentAt, long start) {
        HttpRequest request = HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat("request " + i, maxTokens, false))).build();
        return harness.http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> new Sample(sentAt - start, System.nanoTime() - sentAt,
                        error == null ? response.statusCode() : -1));
    }

    /** The p99 latency, in ms, of the requests sent between {@code fromNanos} and {@code toNanos} after the start. */
    static double p99Millis(List<Sample> samples, long fromNanos, long toNanos) {
        long[] latencies = samples.stream().filter(s -> s.sentNanos() >= fromNanos && s.sentNanos() < toNanos)
                .mapToLong(Sample::latencyNanos).sorted().toArray();
        assertThat(latencies).as("samples sent between %d and %d ms", fromNanos / 1_000_000, toNanos / 1_000_000)
                .isNotEmpty();
        return latencies[(int) Math.ceil(latencies.length * 0.99) - 1] / 1e6;
    }

    /** The longest latency, in ms, of the requests sent between {@code fromNanos} and {@code toNanos} after the start. */
    static long slowestMillis(List<Sample> samples, long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.sentNanos() >= fromNanos && s.sentNanos() < toNanos)
                .mapToLong(Sample::latencyNanos).max().orElseThrow() / 1_000_000;
    }
}
