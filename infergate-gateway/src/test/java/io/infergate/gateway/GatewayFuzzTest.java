package io.infergate.gateway;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Throws random and mutated requests at a gateway in front of two emulators, with API keys and limits
 * on, over raw sockets, for a bounded time ({@code -Dinfergate.fuzz.seconds}, default 20). Half are
 * valid or nearly valid inference requests (real paths, the served model, streamed or not, with or
 * without {@code max_tokens}, odd but legal JSON, unicode, prompts near the body limit, random priority,
 * tenant and deadline headers, good and bad {@code Authorization}); the other half are hostile: random
 * methods, paths and headers, valid JSON mutated byte-wise, JSON with wrongly typed fields, random
 * bytes, bodies cut short. The gateway must never answer a 5xx of its own (a 5xx is allowed only when
 * an endpoint gave it or failed: {@code x-infergate-endpoint} set, or an {@code upstream_*} /
 * {@code no_healthy_endpoint} code), must stay up, and must end idle: no request counted in flight, no
 * concurrency slot held, no token reservation unsettled.
 */
class GatewayFuzzTest {

    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("infergate.fuzz.seconds", 20));
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final int MAX_BODY_BYTES = 65_536;
    private static final List<String> INFERENCE_PATHS = List.of("/v1/chat/completions", "/v1/completions",
            "/v1/embeddings");
    private static final List<String> PATHS = List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings",
            "/v1/models", "/", "/v2/models", "/v1/chat/completions/", "/v1//completions", "/v1/chat/completions?x=1");
    private static final List<String> FIELDS = List.of("model", "messages", "prompt", "input", "stream", "max_tokens",
            "max_completion_tokens", "stream_options", "temperature", "n", "tools");
    private static final List<String> HEADER_NAMES = List.of("content-type", "x-infergate-priority",
            "x-infergate-tenant", "x-infergate-deadline-ms", "authorization", "accept", "expect", "te", "upgrade",
            "keep-alive", "trailer", "x-forwarded-for", "cookie", "x-custom");

    private static final SecurityTest.TestKey KEY = SecurityTest.TestKey.generate();
    private static final SecurityTest.TestKey UNLIMITED_KEY = SecurityTest.TestKey.generate();

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
        harness = GatewayHarness.builder().emulator(o -> o.defaultMaxTokens(8)).emulator(o -> o.defaultMaxTokens(8)).topLevel("""
                limits: {max_body_bytes: %d, header_timeout_ms: 1000, body_timeout_ms: 1000}
                tenants:
                  - name: acme
                    limits: {rpm: 100000000, tpm: 100000000000, max_concurrent: 100000}
                    keys: [{hash: "%s", limits: {rpm: 100000000, tpm: 100000000000, max_concurrent: 1000}}]
                  - name: other
                    keys: [{hash: "%s"}]
                """.formatted(MAX_BODY_BYTES, KEY.hash(), UNLIMITED_KEY.hash())).start();
        deadlineNanos = System.nanoTime() + BUDGET.toNanos();
    }

    @AfterContainer
    static void stop() {
        harness.close();
    }

    @Property(tries = 20_000, edgeCases = EdgeCasesMode.NONE)
    void theGatewayNeverAnswersA5xxOfItsOwn(@ForAll("requests") FuzzRequest request) throws Exception {
        if (System.nanoTime() > deadlineNanos) {
            return;
        }
        sent++;
        String answer = exchange(request);
        Matcher status = STATUS.matcher(answer);
        if (!status.find()) {
            Statistics.label("status").collect("closed without an answer");
            return; // e.g. a body cut short
        }
        int code = Integer.parseInt(status.group(1));
        String lower = answer.toLowerCase(Locale.ROOT);
        Statistics.label("status").collect(code);
        Statistics.label("answered by an endpoint").collect(lower.contains("\r\nx-infergate-endpoint:"));
        boolean fromEndpoint = lower.contains("\r\nx-infergate-endpoint:")
                && (lower.contains("\"code\":\"upstream_") || code >= 500 && !lower.contains("\"type\":\"server_error\""));
        boolean endpointFailed = lower.contains("\"code\":\"upstream_") || lower.contains("\"code\":\"no_healthy_endpoint\"");
        if (code >= 500) {
            assertThat(fromEndpoint || endpointFailed && List.of(502, 503, 504).contains(code))
                    .as("a %d from the gateway itself for %s:%n%s", code, request, answer).isTrue();
        }
    }

    @AfterProperty
    void theGatewayStaysUpAndEndsIdle() throws Exception {
        assertThat(sent).as("requests sent").isPositive();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((inFlight() > 0 || !held("slots").equals("0.0") || !held("tokens").equals("0.0"))
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(inFlight()).as("requests counted in flight after the fuzzing").isZero();
        assertThat(held("slots")).as("concurrency slots held after the fuzzing").isEqualTo("0.0");
        assertThat(held("tokens")).as("tokens reserved and never settled after the fuzzing").isEqualTo("0.0");
        HttpResponse<String> normal = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + KEY.key().token())
                .POST(HttpRequest.BodyPublishers.ofString(chat("still there?", 2, false))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(normal.statusCode()).isEqualTo(200);
        System.out.println("fuzzed the gateway with " + sent + " requests in " + BUDGET.toSeconds() + " s");
    }

    /** The value of {@code infergate_ratelimit_held{kind}} on the admin listener. */
    private static String held(String kind) throws Exception {
        String prefix = "infergate_ratelimit_held{kind=\"" + kind + "\"} ";
        return SecurityTest.metrics(harness).lines().filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length())).findFirst().orElse("missing");
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
        return Arbitraries.frequencyOf(Tuple.of(3, nearlyValid()), Tuple.of(2, hostile()));
    }

    /** An inference request as a client would send it, sometimes with one thing wrong. */
    private static Arbitrary<FuzzRequest> nearlyValid() {
        Arbitrary<String> path = Arbitraries.of(INFERENCE_PATHS);
        Arbitrary<List<String>> headers = Combinators.combine(authorization(), routingHeader().list().ofMaxSize(2),
                mostly(Arbitraries.just(List.of("Content-Type: application/json")), Arbitraries.just(List.<String>of())))
                .as((auth, routing, type) -> Stream.of(auth, routing, type).flatMap(List::stream).toList());
        Arbitrary<Framing> framing = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(Framing.CONTENT_LENGTH)),
                Tuple.of(1, Arbitraries.just(Framing.CHUNKED)));
        return path.flatMap(p -> Combinators.combine(headers, inferenceBody(p), framing)
                .as((h, body, f) -> new FuzzRequest("POST", p, h, body, f)));
    }

    /** Mostly a good key (spelled in any case); else none, or a malformed, unknown or cut one. */
    private static Arbitrary<List<String>> authorization() {
        String token = KEY.key().token();
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("Bearer " + token, "bearer  " + token + " ", "BEARER " + token)),
                Tuple.of(3, Arbitraries.just("Bearer " + UNLIMITED_KEY.key().token())),
                Tuple.of(3, Arbitraries.of("Bearer " + SecurityTest.TestKey.generate().key().token(), "Bearer x",
                        "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer ", "Bearer " + token + "x",
                        "Bearer " + token.substring(0, 20))));
        return Arbitraries.frequencyOf(Tuple.of(18, value.map(v -> List.of("Authorization: " + v))),
                Tuple.of(1, Arbitraries.just(List.of())));
    }

    /** A priority, tenant or deadline header: mostly a legal value, now and then not. */
    private static Arbitrary<String> routingHeader() {
        return Arbitraries.oneOf(
                mostly(Arbitraries.of("critical", "standard", "sheddable"), Arbitraries.of("urgent", "Critical", ""))
                        .map(v -> "x-infergate-priority: " + v),
                Arbitraries.of("acme", "other", "nobody", "").map(v -> "x-infergate-tenant: " + v),
                mostly(Arbitraries.integers().between(50, 60_000).map(String::valueOf),
                        Arbitraries.of("0", "-5", "soon", "99999999999999999999"))
                        .map(v -> "x-infergate-deadline-ms: " + v));
    }

    /** {@code legal} nine times in ten, else {@code illegal}. */
    private static <T> Arbitrary<T> mostly(Arbitrary<T> legal, Arbitrary<T> illegal) {
        return Arbitraries.frequencyOf(Tuple.of(9, legal), Tuple.of(1, illegal));
    }

    /** A body for {@code path}: the served model (sometimes another), odd but legal JSON, unicode, large prompts. */
    private static Arbitrary<byte[]> inferenceBody(String path) {
        Arbitrary<String> model = mostly(Arbitraries.just(MODEL),
                Arbitraries.of("gpt-4o", "", MODEL.toUpperCase(Locale.ROOT)));
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(2, Arbitraries.strings().withChars("héllo wörld 你好 🙂 \u0627\u0644\t\n\"\\").ofMaxLength(80)),
                Tuple.of(1, Arbitraries.integers().between(MAX_BODY_BYTES - 2_000, MAX_BODY_BYTES + 500)
                        .map(length -> "x".repeat(length))));
        Arbitrary<String> space = Arbitraries.of("", " ", "\n  ", "\t", "\r\n");
        Arbitrary<String> options = Combinators.combine(
                Arbitraries.of("", "\"stream\":true,", "\"stream\":false,",
                        "\"stream\":true,\"stream_options\":{\"include_usage\":true},"),
                Arbitraries.of("", "\"max_tokens\":1,", "\"max_tokens\":7,", "\"max_completion_tokens\":3,",
                        "\"max_tokens\":12,", "\"max_tokens\":null,"),
                Arbitraries.of("", "\"temperature\":0.7,", "\"user\":\"u-1\",", "\"x-extra\":{\"a\":[1,{}],\"b\":null},",
                        "\"n\":1,\"seed\":-1,"))
                .as((a, b, c) -> a + b + c);
        return Combinators.combine(model, text, space, options).as((m, t, sp, opt) -> {
            String input = switch (path) {
                case "/v1/chat/completions" -> "\"messages\":" + sp + "[{\"role\":\"system\",\"content\":\"be brief\"},"
                        + sp + "{\"role\":\"user\",\"content\":" + jsonString(t) + "}]";
                case "/v1/completions" -> "\"prompt\":" + sp + jsonString(t);
                default -> "\"input\":" + sp + "[" + jsonString(t) + "]";
            };
            String stream = path.equals("/v1/embeddings") ? "" : opt;
            return ("{" + sp + stream + sp + input + "," + sp + "\"model\":" + sp + jsonString(m) + sp + "}")
                    .getBytes(StandardCharsets.UTF_8);
        });
    }

    /** {@code text} as a JSON string: quotes, backslashes and controls escaped, the rest as is. */
    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    /** Random methods, paths, headers and bodies, with a good key half the time so they get past it. */
    private static Arbitrary<FuzzRequest> hostile() {
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
        Arbitrary<List<String>> headers = Combinators.combine(Arbitraries.of(List.<String>of(),
                        List.of("Authorization: Bearer " + KEY.key().token())), header().list().ofMaxSize(5))
                .as((auth, random) -> Stream.concat(auth.stream(), random.stream()).toList());
        return Combinators.combine(method, path, headers, body, Arbitraries.of(Framing.class))
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
