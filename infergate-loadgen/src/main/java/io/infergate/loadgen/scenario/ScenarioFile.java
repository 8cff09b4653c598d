package io.infergate.loadgen.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.arrival.RateProfile;
import io.infergate.loadgen.arrival.RateScheduleFile;
import io.infergate.loadgen.arrival.Spacing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a scenario from YAML. Every error names the file and the field, and unknown fields are errors,
 * so a typo never silently falls back to a default. The format is described in {@code docs/loadgen.md}:
 *
 * <pre>{@code
 * name: chat-mix
 * target: http://127.0.0.1:8080          # or targets: [url, url]; --target overrides
 * arrival: {process: poisson, rate: 50}  # constant | poisson | bursts | schedule
 * duration: 60s
 * max_requests: 100000
 * max_in_flight: 10000
 * timeout: 60s
 * seed: 42
 * classes:
 *   - name: chat
 *     share: 0.8
 *     model: llama-3.1-8b-instruct
 *     endpoint: chat                     # chat | completions
 *     prompt_tokens: {uniform: [100, 400]}
 *     output_tokens: {normal: {mean: 150, stddev: 40}}
 *     stream: true
 *     priority: standard
 *     tenant: acme
 *     api_key: sk-acme
 *     slo: {ttft: 500ms, latency: 10s}
 *     conversation: {conversations: 64, system_prompt_tokens: 1000, turns: 8}   # optional: multi-turn chat
 * }</pre>
 * <pre>{@code
 * Scenario scenario = ScenarioFile.read(Path.of("chat-mix.yaml"));
 * }</pre>
 */
public final class ScenarioFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Set<String> TOP_FIELDS = Set.of("name", "target", "targets", "arrival", "duration",
            "max_requests", "max_in_flight", "timeout", "seed", "classes");
    private static final Set<String> ARRIVAL_FIELDS = Set.of("process", "rate", "factor", "burst", "every",
            "spacing", "file");
    private static final Set<String> CLASS_FIELDS = Set.of("name", "share", "model", "endpoint", "prompt_tokens",
            "output_tokens", "stream", "priority", "tenant", "api_key", "slo", "conversation");
    private static final Set<String> SLO_FIELDS = Set.of("ttft", "latency");
    private static final Set<String> CONVERSATION_FIELDS = Set.of("conversations", "system_prompt_tokens", "turns");

    /** Defaults for fields a scenario may leave out. */
    private static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    private static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private ScenarioFile() {
    }

    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("scenario " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /**
     * Parses scenario YAML; {@code source} names it in errors and {@code baseDir} resolves a relative
     * rate-schedule file.
     */
    public static Scenario parse(String yaml, String source, Path baseDir) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML (" + e.getOriginalMessage() + ")", e);
        }
        return new Reader(source, baseDir).scenario(root);
    }

    /** Walks the tree, carrying the source name for messages. */
    private record Reader(String source, Path baseDir) {

        Scenario scenario(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw error("", "a mapping with name, arrival, classes, ...", root);
            }
            checkFields(root, "", TOP_FIELDS);
            List<URI> targets = new ArrayList<>();
            if (root.has("target")) {
                targets.add(url(root.get("target"), "target"));
            }
            if (root.has("targets")) {
                JsonNode list = root.get("targets");
                if (!list.isArray()) {
                    throw error("targets", "a list of URLs", list);
                }
                for (int i = 0; i < list.size(); i++) {
                    targets.add(url(list.get(i), "targets[" + i + "]"));
                }
            }
            JsonNode arrivalNode = root.get("arrival");
            if (arrivalNode == null) {
                throw error("arrival", "e.g. {process: poisson, rate: 50}", null);
            }
            JsonNode classesNode = root.get("classes");
            if (classesNode == null || !classesNode.isArray() || classesNode.isEmpty()) {
                throw error("classes", "a list of at least one request class", classesNode);
            }
            List<RequestClass> classes = new ArrayList<>();
            for (int i = 0; i < classesNode.size(); i++) {
                classes.add(requestClass(classesNode.get(i), "classes[" + i + "]"));
            }
            return wrap("", () -> new Scenario(
                    optionalText(root, "name", "scenario"),
                    targets,
                    arrival(arrivalNode),
                    optional(root, "duration", this::duration, DEFAULT_DURATION),
                    optional(root, "max_requests", n -> integer(n, "max_requests"), Long.MAX_VALUE),
                    (int) (long) optional(root, "max_in_flight", n -> integer(n, "max_in_flight"),
                            (long) DEFAULT_MAX_IN_FLIGHT),
                    optional(root, "timeout", this::duration, DEFAULT_TIMEOUT),
                    optional(root, "seed", n -> integer(n, "seed"), 1L),
                    classes));
        }

        ArrivalProcess arrival(JsonNode node) {
            if (!node.isObject()) {
                throw error("arrival", "a mapping such as {process: poisson, rate: 50}", node);
            }
            checkFields(node, "arrival", ARRIVAL_FIELDS);
            String process = requiredText(node, "process", "arrival.process");
            return wrap("arrival", () -> switch (process) {
                case "constant" -> ArrivalProcess.constant(number(required(node, "rate", "arrival.rate"), "arrival.rate"));
                case "poisson" -> ArrivalProcess.poisson(number(required(node, "rate", "arrival.rate"), "arrival.rate"));
                case "bursts" -> ArrivalProcess.bursts(
                        number(required(node, "rate", "arrival.rate"), "arrival.rate"),
                        optional(node, "factor", n -> number(n, "arrival.factor"), 5.0),
                        seconds(optional(node, "burst", this::duration, Duration.ofSeconds(10))),
                        seconds(optional(node, "every", this::duration, Duration.ofSeconds(60))),
                        spacing(node));
                case "schedule" -> {
                    Path file = baseDir.resolve(requiredText(node, "file", "arrival.file"));
                    RateProfile profile = RateScheduleFile.read(file);
                    yield ArrivalProcess.of(profile, spacing(node));
                }
                default -> throw error("arrival.process", "constant, poisson, bursts or schedule", node.get("process"));
            });
        }

        Spacing spacing(JsonNode node) {
            String spacing = optional(node, "spacing", n -> text(n, "arrival.spacing"), "poisson");
            return switch (spacing) {
                case "poisson" -> Spacing.POISSON;
                case "constant" -> Spacing.CONSTANT;
                default -> throw error("arrival.spacing", "poisson or constant", node.get("spacing"));
            };
        }

        RequestClass requestClass(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "a mapping with name, model, ...", node);
            }
            checkFields(node, path, CLASS_FIELDS);
            String endpointText = optional(node, "endpoint", n -> text(n, path + ".endpoint"), "chat");
            EndpointKind endpoint = switch (endpointText) {
                case "chat" -> EndpointKind.CHAT;
                case "completions" -> EndpointKind.COMPLETIONS;
                default -> throw error(path + ".endpoint", "chat or completions", node.get("endpoint"));
            };
            return wrap(path, () -> new RequestClass(
                    requiredText(node, "name", path + ".name"),
                    optional(node, "share", n -> number(n, path + ".share"), 1.0),
                    requiredText(node, "model", path + ".model"),
                    endpoint,
                    optional(node, "prompt_tokens", n -> distribution(n, path + ".prompt_tokens"),
                            new Distribution.Fixed(128)),
                    optional(node, "output_tokens", n -> distribution(n, path + ".output_tokens"),
                            new Distribution.Fixed(64)),
                    optional(node, "stream", n -> bool(n, path + ".stream"), false),
                    optional(node, "priority", n -> text(n, path + ".priority"), ""),
                    optional(node, "tenant", n -> text(n, path + ".tenant"), ""),
                    optional(node, "api_key", n -> text(n, path + ".api_key"), ""),
                    optional(node, "slo", n -> slo(n, path + ".slo"), Slo.NONE),
                    Optional.ofNullable(optional(node, "conversation", n -> conversation(n, path + ".conversation"),
                            null))));
        }

        Conversation conversation(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "a mapping such as {conversations: 64, system_prompt_tokens: 1000, turns: 8}", node);
            }
            checkFields(node, path, CONVERSATION_FIELDS);
            return wrap(path, () -> new Conversation(
                    (int) integer(required(node, "conversations", path + ".conversations"), path + ".conversations"),
                    optional(node, "system_prompt_tokens", n -> (int) integer(n, path + ".system_prompt_tokens"), 0),
                    (int) integer(required(node, "turns", path + ".turns"), path + ".turns")));
        }

        Slo slo(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "a mapping such as {ttft: 500ms, latency: 10s}", node);
            }
            checkFields(node, path, SLO_FIELDS);
            return wrap(path, () -> Slo.of(
                    optional(node, "ttft", this::duration, null),
                    optional(node, "latency", this::duration, null)));
        }

        Distribution distribution(JsonNode node, String path) {
            String expected = "a number, {fixed: n}, {uniform: [min, max]} or {normal: {mean: m, stddev: s}}";
            if (node.isNumber()) {
                return wrap(path, () -> new Distribution.Fixed((int) integer(node, path)));
            }
            if (!node.isObject() || node.size() != 1) {
                throw error(path, expected, node);
            }
            String kind = node.fieldNames().next();
            JsonNode value = node.get(kind);
            return wrap(path, () -> switch (kind) {
                case "fixed" -> new Distribution.Fixed((int) integer(value, path + ".fixed"));
                case "uniform" -> {
                    if (!value.isArray() || value.size() != 2) {
                        throw error(path + ".uniform", "[min, max]", value);
                    }
                    yield new Distribution.Uniform((int) integer(value.get(0), path + ".uniform[0]"),
                            (int) integer(value.get(1), path + ".uniform[1]"));
                }
                case "normal" -> {
                    checkFields(value, path + ".normal", Set.of("mean", "stddev"));
                    yield new Distribution.Normal(number(required(value, "mean", path + ".normal.mean"), path + ".normal.mean"),
                            number(required(value, "stddev", path + ".normal.stddev"), path + ".normal.stddev"));
                }
                default -> throw error(path, expected, node);
            });
        }

        Duration duration(JsonNode node) {
            if (node.isNumber()) {
                return Duration.ofNanos(Math.round(node.asDouble() * 1e9));
            }
            return DurationText.parse(node.asText());
        }

        URI url(JsonNode node, String path) {
            String text = text(node, path);
            try {
                return Scenario.requireHttpUrl(URI.create(text));
            } catch (IllegalArgumentException e) {
                throw error(path, "an http or https URL such as http://127.0.0.1:8080", node);
            }
        }

        void checkFields(JsonNode node, String path, Set<String> known) {
            if (!node.isObject()) {
                throw error(path, "a mapping", node);
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!known.contains(field)) {
                    throw problem(join(path, field), "unknown field", "one of " + known.stream().sorted().toList());
                }
            }
        }

        JsonNode required(JsonNode node, String field, String path) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw error(path, "a value", null);
            }
            return value;
        }

        String requiredText(JsonNode node, String field, String path) {
            return text(required(node, field, path), path);
        }

        String optionalText(JsonNode node, String field, String fallback) {
            return optional(node, field, n -> text(n, field), fallback);
        }

        <T> T optional(JsonNode node, String field, Function<JsonNode, T> read, T fallback) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? fallback : read.apply(value);
        }

        String text(JsonNode node, String path) {
            if (!node.isValueNode()) {
                throw error(path, "a text value", node);
            }
            return node.asText();
        }

        double number(JsonNode node, String path) {
            if (!node.isNumber()) {
                throw error(path, "a number", node);
            }
            return node.asDouble();
        }

        long integer(JsonNode node, String path) {
            if (!node.canConvertToLong() || !node.isIntegralNumber()) {
                throw error(path, "a whole number", node);
            }
            return node.asLong();
        }

        boolean bool(JsonNode node, String path) {
            if (!node.isBoolean()) {
                throw error(path, "true or false", node);
            }
            return node.asBoolean();
        }

        static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }

        /** Runs a constructor, prefixing its argument errors with the source and path. */
        <T> T wrap(String path, Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
                    throw e;
                }
                throw new IllegalArgumentException(source + ": " + (path.isEmpty() ? "" : path + ": ") + e.getMessage(), e);
            }
        }

        /** A field holding the wrong thing ({@code found}), or missing ({@code found} null). */
        IllegalArgumentException error(String path, String expected, JsonNode found) {
            String what = found == null ? "missing"
                    : "found " + (found.isValueNode() ? "'" + found.asText() + "'" : found.getNodeType().name().toLowerCase(Locale.ROOT));
            return problem(path, what, expected);
        }

        IllegalArgumentException problem(String path, String what, String expected) {
            String where = path.isEmpty() ? source : source + ": " + path;
            return new IllegalArgumentException(where + ": " + what + " (expected: " + expected + ")");
        }

        static String join(String path, String field) {
            return path.isEmpty() ? field : path + "." + field;
        }
    }
}
