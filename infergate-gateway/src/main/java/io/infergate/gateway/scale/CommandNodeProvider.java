package io.infergate.gateway.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@code command} node provider: runs a user's script for every node to start or stop. The script
 * gets the action and the node id as arguments and the whole request as JSON on its standard input:
 * <pre>
 * ./scale.sh add chat-auto-3     {"action":"add","id":"chat-auto-3","pool":"chat","models":["llama-3.1-8b-instruct"],
 *                                 "region":"eu-west","capacity":"preemptible","price_per_hour":0.8}
 * ./scale.sh release chat-auto-3 {"action":"release","id":"chat-auto-3","url":"http://10.0.0.7:8000",
 *                                 "region":"eu-west","capacity":"preemptible"}
 * </pre>
 * For {@code add} it prints the new node's base URL as JSON, {@code {"url":"http://10.0.0.7:8000"}}, once
 * the node serves; a non-zero exit or no URL fails the start, with the script's standard error in the
 * message. Each run has a time limit.
 *
 * <pre>{@code
 * NodeProvider provider = new CommandNodeProvider(List.of("./scale.sh"), Duration.ofMinutes(2));
 * }</pre>
 */
public final class CommandNodeProvider implements NodeProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final Duration timeout;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();

    public CommandNodeProvider(List<String> command, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
        }
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Endpoint> start(NodeSpec spec) {
        ObjectNode request = JSON.createObjectNode().put("action", "add").put("id", spec.id()).put("pool", spec.pool());
        spec.models().stream().sorted().forEach(request.putArray("models")::add);
        request.put("region", spec.region()).put("capacity", spec.capacity().name().toLowerCase(Locale.ROOT))
                .put("price_per_hour", spec.pricePerHour());
        return CompletableFuture.supplyAsync(() -> {
            String out = run("add", spec.id(), request);
            JsonNode answer;
            try {
                answer = JSON.readTree(out);
            } catch (IOException e) {
                throw new IllegalStateException(failure("add", spec.id()) + " printed " + quote(out)
                        + " (expected: JSON such as {\"url\":\"http://10.0.0.7:8000\"})", e);
            }
            JsonNode url = answer == null ? null : answer.get("url");
            if (url == null || !url.isTextual() || !url.asText().startsWith("http")) {
                throw new IllegalStateException(failure("add", spec.id()) + " printed " + quote(out)
                        + " (expected: a \"url\" field with the node's http(s) base URL)");
            }
            return Endpoint.builder(spec.id(), URI.create(url.asText())).pool(spec.pool()).models(spec.models())
                    .region(spec.region()).capacity(spec.capacity()).pricePerHour(spec.pricePerHour()).build();
        }, runs);
    }

    @Override
    public CompletionStage<Void> stop(Endpoint endpoint) {
        ObjectNode request = JSON.createObjectNode().put("action", "release").put("id", endpoint.id())
                .put("url", endpoint.url().toString()).put("region", endpoint.region())
                .put("capacity", endpoint.capacity().name().toLowerCase(Locale.ROOT));
        return CompletableFuture.runAsync(() -> run("release", endpoint.id(), request), runs);
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }

    /** Runs the script for one node and returns its standard output. */
    private String run(String action, String nodeId, ObjectNode request) {
        List<String> argv = new ArrayList<>(command);
        argv.add(action);
        argv.add(nodeId);
        try {
            Process process = new ProcessBuilder(argv).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), runs);
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), runs);
            try (OutputStream in = process.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(request));
            } catch (IOException e) {
                // the script exited without reading its input: it needs only the arguments
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(failure(action, nodeId) + " did not finish within " + timeout.toMillis()
                        + " ms (expected: an exit within provider.timeout_ms)");
            }
            String stdout = new String(out.join(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(failure(action, nodeId) + " exited with " + process.exitValue()
                        + " (expected: 0): " + quote(new String(err.join(), StandardCharsets.UTF_8).trim()));
            }
            return stdout;
        } catch (IOException e) {
            throw new IllegalStateException(failure(action, nodeId) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(failure(action, nodeId) + " was interrupted", e);
        }
    }

    private String failure(String action, String nodeId) {
        return "provider command: '" + String.join(" ", command) + " " + action + " " + nodeId + "'";
    }

    private static byte[] readAll(java.io.InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String quote(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return "'" + shown + "'";
    }
}
