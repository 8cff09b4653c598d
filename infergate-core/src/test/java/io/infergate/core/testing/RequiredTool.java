package io.infergate.core.testing;

import org.junit.jupiter.api.Assumptions;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The check a test makes before it uses an outside program (nginx, HAProxy, redis-server, Chromium…).
 * On a developer's machine a missing program skips the test, with the reason; under CI ({@code CI=true})
 * it fails it, because {@code .ci/run} installs every program the tests need, so a missing one means
 * the tests did not run, which must not pass unnoticed.
 *
 * <pre>{@code
 * Path nginx = RequiredTool.present(Executables.find("nginx"), "nginx", "the bench smoke test");
 * }</pre>
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** {@code found}'s value; without one, skips the calling test, or fails it under CI. */
    public static <T> T present(Optional<T> found, String tool, String what) {
        require(found.isPresent(), tool, what);
        return found.orElseThrow();
    }

    /** Returns when {@code available}; otherwise skips the calling test, or fails it under CI. */
    public static void require(boolean available, String tool, String what) {
        if (available) {
            return;
        }
        String reason = tool + " is not available (.ci/run installs it with apt-get): " + what + " cannot run";
        if (underCi()) {
            fail(reason + " (CI=true: a missing tool fails the test instead of skipping it)");
        }
        Assumptions.abort(reason);
    }

    /** Whether the tests run under CI, as CI services (and .ci/run's caller) say with {@code CI=true}. */
    static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
