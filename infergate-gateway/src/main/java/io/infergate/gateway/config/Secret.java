package io.infergate.gateway.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value from the configuration that must never be shown: {@link #toString()} hides it, so a logged
 * or printed configuration does not leak it, and {@link #matches} compares in constant time.
 *
 * <pre>{@code
 * Secret token = Secret.of(System.getenv("ADMIN_TOKEN"));
 * boolean allowed = token.matches(presentedToken);
 * }</pre>
 */
public final class Secret {

    private final byte[] digest;

    private Secret(byte[] digest) {
        this.digest = digest;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(sha256(value));
    }

    /** True when {@code candidate} is the secret; the time taken does not depend on where they differ. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(digest, secret.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
