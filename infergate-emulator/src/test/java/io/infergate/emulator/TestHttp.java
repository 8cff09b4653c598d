package io.infergate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.io.OutputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
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
    /**
     * Posts {@code body} and reads the streamed answer line by line over a plain socket, noting when each
     * line arrived. A raw socket, because the JDK client may drop lines it had buffered when the server
     * then cuts the connection, which is exactly what the die-mid-stream tests look at.
     */
    static Streamed stream(URI base, String path, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            if (statusLine == null) {
                throw new IOException("no response from " + base);
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // response headers
            }
            List<TimedLine> lines = new ArrayList<>();
            boolean lastChunkSeen = false;
            IOException cut = null;
            try {
                while ((line = in.readLine()) != null) {
                    if (line.equals("0")) {
                        lastChunkSeen = true;
                    } else if (line.startsWith("data: ")) {
                        lines.add(new TimedLine(line, System.nanoTime()));
                    }
                }
            } catch (IOException e) {
                cut = e;
            }
            if (cut == null && !lastChunkSeen) {
                cut = new IOException("connection closed before the last chunk");
            }
            return new Streamed(status, lines, cut);
        }
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
