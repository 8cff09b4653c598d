package io.infergate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

import static io.infergate.emulator.JsonFields.bool;
import static io.infergate.emulator.JsonFields.number;

/**
 * The JSON form of {@link FaultSettings} used by {@code /emulator/faults}:
 * {@code {"error_rate":0.3,"latency_spike_probability":0.1,"latency_spike_ms":500,"hang":false,
 * "die_after_tokens":-1,"refuse":false}}. A POST sets the fields it names and keeps the others;
 * {@code "refuse_for_ms":N} stops listening for N ms.
 */
final class FaultsJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("error_rate", "latency_spike_probability", "latency_spike_ms",
            "hang", "die_after_tokens", "refuse", "refuse_for_ms");

    /** What a POST asks for: the new settings, and how long to refuse connections (zero: not temporarily). */
    record Update(FaultSettings settings, Duration refuseFor) {
    }

    private FaultsJson() {
    }

    static String render(FaultSettings settings) {
        ObjectNode root = JSON.createObjectNode()
                .put("error_rate", settings.errorRate())
                .put("latency_spike_probability", settings.latencySpikeProbability())
                .put("latency_spike_ms", settings.latencySpike().toMillis())
                .put("hang", settings.hang())
                .put("die_after_tokens", settings.dieAfterTokens())
                .put("refuse", settings.refuse());
        return root.toString();
    }

    /** Applies a POST body to {@code current}; throws {@link ApiException} for what it cannot read. */
    static Update apply(FaultSettings current, Buffer body) {
        JsonNode root = JsonFields.object(body);
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("field: " + name + " (expected one of: " + String.join(", ",
                        FIELDS.stream().sorted().toList()) + ")");
            }
        }
        try {
            FaultSettings next = current
                    .withErrorRate(number(root, "error_rate", current.errorRate()))
                    .withLatencySpikes(number(root, "latency_spike_probability", current.latencySpikeProbability()),
                            Duration.ofMillis((long) number(root, "latency_spike_ms", current.latencySpike().toMillis())))
                    .withHang(bool(root, "hang", current.hang()))
                    .withDieAfterTokens((int) number(root, "die_after_tokens", current.dieAfterTokens()))
                    .withRefuse(bool(root, "refuse", current.refuse()));
            long refuseForMs = (long) number(root, "refuse_for_ms", 0);
            if (refuseForMs < 0) {
                throw new IllegalArgumentException("refuse_for_ms: " + refuseForMs + " (expected: >= 0)");
            }
            return new Update(refuseForMs > 0 ? next.withRefuse(true) : next, Duration.ofMillis(refuseForMs));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
