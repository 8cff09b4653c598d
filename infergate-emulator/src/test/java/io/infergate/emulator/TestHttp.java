package io.infergate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A plain HTTP/1.1 client for the emulator tests, over real loopback sockets. */
final class TestHttp {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** One line of a streamed body and when it arrived. */
    record TimedLine(String text, long arrivedNanos) {
    }

    /** What a streamed request received, and the error that cut it short, if any. */
    record Streamed(int status, List<TimedLine> lines, IOException cut) {

        /** The JSON payloads of the {@code data:} events, {@code [DONE]} excluded. */
        List<JsonNode> events() {
            return lines.stream().map(TimedLine::text).filter(l -> l.startsWith("data: {"))
                    .map(l -> json(l.substring("data: ".length()))).toList();
        }

        boolean done() {
            return lines.stream().anyMatch(l -> l.text().equals("data: [DONE]"));
        }
    }

    private TestHttp() {
    }

    static HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
    }

    static HttpResponse<String> post(URI base, String path, String body) throws IOException, InterruptedException {
        return post(base, path, body, TIMEOUT);
    }

    static HttpResponse<String> post(URI base, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Posts and reads the response line by line as it arrives, noting when each line came. */
    static Streamed stream(URI base, String path, String body) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        List<TimedLine> lines = new ArrayList<>();
        IOException cut = null;
        try (Stream<String> body2 = response.body()) {
            body2.filter(l -> !l.isEmpty()).forEach(l -> lines.add(new TimedLine(l, System.nanoTime())));
        } catch (UncheckedIOException e) {
            cut = e.getCause();
        }
        return new Streamed(response.statusCode(), lines, cut);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chat request body with one user message. */
    static String chat(String model, String content, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],"
                + "\"stream\":" + stream + (extra.isEmpty() ? "" : "," + extra) + "}";
    }
}
