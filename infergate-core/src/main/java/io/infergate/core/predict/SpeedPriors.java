package io.infergate.core.predict;

import io.infergate.core.fleet.Accelerator;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.core.fleet.Endpoint;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speed priors from public datasheet figures: an endpoint's accelerator type and count and the size of
 * the model it serves (read from the model name, e.g. {@code llama-3.1-8b-instruct} is 8 billion
 * parameters; {@value #DEFAULT_BILLIONS} billion when the name does not say) give its starting speeds.
 *
 * <p>Decode is bound by memory bandwidth: a step streams the BF16 weights (2 bytes a parameter) once,
 * at {@value #BANDWIDTH_EFFICIENCY} of the datasheet bandwidth, and each sequence in the batch adds the
 * reads of its KV cache ({@value #KV_BYTES_PER_TOKEN_PER_BILLION} bytes a token per billion parameters,
 * as Llama-3-8B's 128 KiB with grouped-query attention, over {@value SpeedPrior#TOKENS_PER_SEQUENCE}
 * tokens). Prefill is bound by compute: two operations a parameter a token at
 * {@value #COMPUTE_EFFICIENCY} of the dense BF16 peak. Several devices (tensor parallel) add up at
 * {@value #PARALLEL_EFFICIENCY} each beyond the first. The batch is what the memory left after the
 * weights holds, at most vLLM's default of 256 sequences. For Llama-3-8B this gives an A100 about
 * 100 tokens/s for one stream and an L4 about 15, with prefill at about 10 000 and 3 800 tokens/s.
 * These are starting points only: {@link LatencyPredictor} replaces them with what it observes.
 *
 * <pre>{@code
 * SpeedPrior prior = SpeedPriors.forEndpoint(endpoint);
 * }</pre>
 */
public final class SpeedPriors {

    static final double DEFAULT_BILLIONS = 8;
    static final double BANDWIDTH_EFFICIENCY = 0.8;
    static final double COMPUTE_EFFICIENCY = 0.5;
    static final double PARALLEL_EFFICIENCY = 0.8;
    static final double KV_BYTES_PER_TOKEN_PER_BILLION = 16 * 1024;
    static final double MEMORY_FOR_SERVER = 0.9; // vLLM's default --gpu-memory-utilization
    static final int MAX_BATCH = 256;            // vLLM's default --max-num-seqs
    static final int MIN_BATCH = 4;

    /** A device's datasheet figures: memory bandwidth in GB/s, dense BF16 TFLOPS, memory in GB. */
    private record Device(String name, String token, double bandwidthGbPerS, double bf16Tflops, double memoryGb) {
    }

    /** Longer tokens first, so that A100 is not read as A10 nor L40S as L4. */
    private static final List<Device> DEVICES = List.of(
            new Device("NVIDIA H200", "H200", 4_800, 989, 141),
            new Device("NVIDIA H100", "H100", 3_350, 989, 80),
            new Device("NVIDIA A100", "A100", 2_039, 312, 80),
            new Device("NVIDIA L40S", "L40S", 864, 362, 48),
            new Device("NVIDIA A10G", "A10G", 600, 125, 24),
            new Device("NVIDIA A10", "A10", 600, 125, 24),
            new Device("NVIDIA L4", "L4", 300, 121, 24),
            new Device("NVIDIA T4", "T4", 320, 65, 16));

    /** What an endpoint with no declared or known accelerator is assumed to be. */
    private static final Device UNKNOWN = new Device("unknown accelerator (as an A100)", "", 2_039, 312, 80);

    /** A size such as {@code 8b}, {@code 70B} or {@code 0.5b}, not inside a word or after {@code x} (8x7b). */
    private static final Pattern BILLIONS = Pattern.compile("(?<![a-z0-9.])(\\d+(?:\\.\\d+)?)b(?![a-z0-9])");

    private SpeedPriors() {
    }

    /**
     * The prior of {@code endpoint}: the engine profile it names, else its accelerator and the largest
     * model size named among its models.
     */
    public static SpeedPrior forEndpoint(Endpoint endpoint) {
        if (!endpoint.engineProfile().isEmpty()) {
            return SpeedPrior.of(EngineProfiles.named(endpoint.engineProfile()));
        }
        double billions = endpoint.models().stream()
                .map(SpeedPriors::modelBillions)
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)
                .max().orElse(DEFAULT_BILLIONS);
        return of(endpoint.accelerator(), billions);
    }

    /** The prior of {@code accelerator} serving a model of {@code billions} billion parameters. */
    public static SpeedPrior of(Accelerator accelerator, double billions) {
        if (!(billions > 0) || Double.isInfinite(billions)) {
            throw new IllegalArgumentException("billions: " + billions + " (expected: a finite number > 0)");
        }
        Device device = device(accelerator.type());
        int count = Math.max(1, accelerator.count());
        double parallel = 1 + PARALLEL_EFFICIENCY * (count - 1);
        double bytesPerNano = device.bandwidthGbPerS() * BANDWIDTH_EFFICIENCY * parallel; // GB/s = bytes/ns
        double flopsPerNano = device.bf16Tflops() * 1e3 * COMPUTE_EFFICIENCY * parallel;
        double weightBytes = 2 * billions * 1e9;
        double kvBytesPerToken = KV_BYTES_PER_TOKEN_PER_BILLION * billions;
        double kvTokens = (device.memoryGb() * 1e9 * count * MEMORY_FOR_SERVER - weightBytes) / kvBytesPerToken;
        int batch = (int) Math.clamp(kvTokens / SpeedPrior.TOKENS_PER_SEQUENCE, MIN_BATCH, MAX_BATCH);
        return new SpeedPrior(device.name() + " x" + count + ", " + format(billions) + "B parameters",
                2 * billions * 1e9 / flopsPerNano,
                weightBytes / bytesPerNano,
                kvBytesPerToken * SpeedPrior.TOKENS_PER_SEQUENCE / bytesPerNano,
                batch);
    }

    /** The parameter count a model name states, in billions, e.g. 70 for {@code Llama-3.1-70B-Instruct}. */
    static OptionalDouble modelBillions(String model) {
        Matcher matcher = BILLIONS.matcher(model.toLowerCase(Locale.ROOT));
        return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
    }

    private static Device device(String type) {
        String upper = type.toUpperCase(Locale.ROOT);
        for (Device device : DEVICES) {
            if (upper.contains(device.token())) {
                return device;
            }
        }
        return UNKNOWN;
    }

    private static String format(double billions) {
        return billions == Math.rint(billions) ? Long.toString((long) billions) : Double.toString(billions);
    }
}
