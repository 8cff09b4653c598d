package io.infergate.gateway;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws random and mutated requests at a gateway in front of two emulators, over raw sockets, for a
 * bounded time ({@code -Dinfergate.fuzz.seconds}, default 20): random methods, paths and headers,
 * valid JSON mutated byte-wise, JSON with wrongly typed fields, random bytes, bodies cut short. The
 * gateway must never answer a 5xx of its own (a 5xx is allowed only when an endpoint gave it or failed:
 * {@code x-infergate-endpoint} set, or an {@code upstream_*} / {@code no_healthy_endpoint} code), must
 * stay up, and must end with no request counted in flight.
 */
class GatewayFuzzTest {

    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("infergate.fuzz.seconds", 20));
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final List<String> PATHS = List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings",
            "/v1/models", "/", "/v2/models", "/v1/chat/completions/", "/v1//completions", "/v1/chat/completions?x=1");
    private static final List<String> FIELDS = List.of("model", "messages", "prompt", "input", "stream", "max_tokens",
            "max_completion_tokens", "stream_options", "temperature", "n", "tools");
    private static final List<String> HEADER_NAMES = List.of("content-type", "x-infergate-priority",
            "x-infergate-tenant", "x-infergate-deadline-ms", "authorization", "accept", "expect", "te", "upgrade",
            "keep-alive", "trailer", "x-forwarded-for", "cookie", "x-custom");

    private static GatewayHarness harness;
    private static long deadlineNanos;
    private static int sent;

    /** How the body is framed on the wire. */
    enum Framing { CONTENT_LENGTH, CHUNKED, CUT_SHORT, NONE }

    record FuzzRequest(String method, String path, List<String> headers, byte[] body, Framing framing) {
        byte[] head() {
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: gateway\r\n");
            headers.forEach(header -> head.append(header).append("\r\n"));
            switch (framing) {
                case CONTENT_LENGTH, CUT_SHORT -> head.append("Content-Length: ").append(body.length).append("\r\n");
                case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
                case NONE -> { }
            }
            return head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return method + " " + path + " " + headers + " " + framing + " "
                    + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    @BeforeContainer
    static void start() {
        harness = GatewayHarness.builder().emulators(2)
                .topLevel("limits: {max_body_bytes: 65536, header_timeout_ms: 1000, body_timeout_ms: 1000}\n")
                .start();
        deadlineNanos = System.nanoTime() + BUDGET.toNanos();
    }

    @AfterContainer
    static void stop() {
        harness.close();
    }

    @Property(tries = 20_000)
    void theGatewayNeverAnswersA5xxOfItsOwn(@ForAll("requests") FuzzRequest request) throws Exception {
        if (System.nanoTime() > deadlineNanos) {
            return;
        }
        sent++;
        String answer = exchange(request);
        Matcher status = STATUS.matcher(answer);
        if (!status.find()) {
            Statistics.collect("closed without an answer");
            return; // e.g. a body cut short
        }
        int code = Integer.parseInt(status.group(1));
        Statistics.collect(code);
        String lower = answer.toLowerCase(Locale.ROOT);
        boolean fromEndpoint = lower.contains("\r\nx-infergate-endpoint:")
                && (lower.contains("\"code\":\"upstream_") || code >= 500 && !lower.contains("\"type\":\"server_error\""));
        boolean endpointFailed = lower.contains("\"code\":\"upstream_") || lower.contains("\"code\":\"no_healthy_endpoint\"");
        if (code >= 500) {
            assertThat(fromEndpoint || endpointFailed && List.of(502, 503, 504).contains(code))
                    .as("a %d from the gateway itself for %s:%n%s", code, request, answer).isTrue();
        }
    }

    @AfterProperty
    void theGatewayStaysUpAndNothingStaysInFlight() throws Exception {
        assertThat(sent).as("requests sent").isPositive();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(inFlight()).as("requests counted in flight after the fuzzing").isZero();
        assertThat(harness.post("/v1/chat/completions", chat("still there?", 2, false)).statusCode()).isEqualTo(200);
        System.out.println("fuzzed the gateway with " + sent + " requests in " + BUDGET.toSeconds() + " s");
    }

    private static int inFlight() {
        int total = 0;
        for (int slot = 0; slot < harness.gateway.fleet().snapshot().size(); slot++) {
            total += harness.gateway.fleet().count(slot);
        }
        return total;
    }

    private static String exchange(FuzzRequest request) throws IOException {
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(3))) {
            try {
                raw.send(request.head());
                byte[] body = request.body();
                switch (request.framing()) {
                    case CONTENT_LENGTH, NONE -> raw.send(body);
                    case CHUNKED -> raw.send(chunked(body));
                    case CUT_SHORT -> {
                        raw.send(Arrays.copyOf(body, body.length / 2));
                        raw.shutdownOutput();
                    }
                }
            } catch (IOException closedEarly) {
                // the gateway may refuse and close before the whole request is written; read what it said
            }
            return raw.readAll();
        }
    }

    private static byte[] chunked(byte[] body) {
        String head = Integer.toHexString(body.length) + "\r\n";
        byte[] out = new byte[head.length() + body.length + 7];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, out, 0, head.length());
        System.arraycopy(body, 0, out, head.length(), body.length);
        System.arraycopy("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, out, head.length() + body.length, 7);
        return out;
    }

    @Provide
    Arbitrary<FuzzRequest> requests() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("POST")),
                Tuple.of(1, Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW")));
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(PATHS)),
                Tuple.of(1, Arbitraries.strings().withChars("/abcv12%?&=.-_~").ofMaxLength(40).map(p -> "/" + p)));
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                Tuple.of(3, wronglyTypedJson()),
                Tuple.of(3, mutatedJson()),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.just(chat("hello", 3, true).getBytes(StandardCharsets.UTF_8))));
        return Combinators.combine(method, path, header().list().ofMaxSize(5), body, Arbitraries.of(Framing.class))
                .as(FuzzRequest::new);
    }

    private static Arbitrary<String> header() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(HEADER_NAMES),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("application/json", "critical", "standard", "sheddable", "bogus", "0", "-1",
                        "99999999999999999999", "Bearer x", "100-continue", "trailers", "h2c", "chunked"),
                Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\u00e9').ofMaxLength(30));
        return Combinators.combine(name, value).as((n, v) -> n + ": " + v);
    }

    /** A JSON object of routing fields, each with a value of a random type (sometimes the right one). */
    private static Arbitrary<byte[]> wronglyTypedJson() {
        Arbitrary<String> field = Arbitraries.of(FIELDS).map(f -> "\"" + f + "\"");
        Arbitrary<String> member = Combinators.combine(field, jsonValue(2)).as((f, v) -> f + ":" + v);
        Arbitrary<String> withModel = member.list().ofMaxSize(6).map(members -> {
            String modelFirst = "\"model\":\"" + MODEL + "\"";
            return "{" + String.join(",", Stream.concat(Stream.of(modelFirst),
                    members.stream()).toList()) + "}";
        });
        return Arbitraries.oneOf(withModel, member.list().ofMaxSize(6).map(m -> "{" + String.join(",", m) + "}"))
                .map(json -> json.getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "\"" + s + "\""),
                Arbitraries.integers().between(-3, 40).map(String::valueOf),
                Arbitraries.of("1e400", "-0", "2.5", "9223372036854775808", "true", "false", "null", "\"" + MODEL + "\"",
                        "\"\\ud800\"", "\"\\u0000\""));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.of("role", "content", "include_usage", "x"), jsonValue(depth - 1))
                .as((k, v) -> "\"" + k + "\":" + v).list().ofMaxSize(3).map(m -> "{" + String.join(",", m) + "}");
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array),
                Tuple.of(1, object));
    }

    /** A valid request with a few bytes deleted, inserted or overwritten. */
    private static Arbitrary<byte[]> mutatedJson() {
        byte[] valid = chat("mutate me", 3, false).getBytes(StandardCharsets.UTF_8);
        Arbitrary<int[]> mutation = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, valid.length - 1), Arbitraries.integers().between(0, 255))
                .as((kind, at, b) -> new int[]{kind, at, b});
        return mutation.list().ofMinSize(1).ofMaxSize(4).map(mutations -> {
            byte[] bytes = valid.clone();
            for (int[] m : mutations) {
                int at = Math.min(m[1], bytes.length - 1);
                bytes = switch (m[0]) {
                    case 0 -> concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
                    case 1 -> concat(concat(Arrays.copyOf(bytes, at), new byte[]{(byte) m[2]}),
                            Arrays.copyOfRange(bytes, at, bytes.length));
                    default -> {
                        bytes[at] = (byte) m[2];
                        yield bytes;
                    }
                };
                if (bytes.length == 0) {
                    bytes = new byte[]{'{'};
                }
            }
            return bytes;
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
