package io.infergate.core.fleet;

import java.util.Objects;

/**
 * The accelerators behind one endpoint, e.g. {@code new Accelerator("NVIDIA_A100", 4)}.
 *
 * @param type  accelerator model as operators name it
 * @param count number of devices serving this endpoint (all nodes of a multi-node replica together)
 */
public record Accelerator(String type, int count) {

    public static final Accelerator NONE = new Accelerator("none", 0);

    public Accelerator {
        Objects.requireNonNull(type, "type");
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
    }
}
