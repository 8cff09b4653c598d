package io.infergate.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key's stored form: {@code sha256$<id>$<salt>$<hash>}, where {@code id} is the key's public id,
 * {@code salt} 16 random bytes and {@code hash} SHA-256 of the salt followed by the whole key, both in
 * unpadded base64url. A plain salted hash is enough (no slow KDF) because minted keys carry 256 random bits,
 * and keys of the user's own are expected to be random too (keys another gateway minted): nobody can guess
 * one from its hash, while a KDF would add milliseconds to every request.
 *
 * <pre>{@code
 * KeyHash stored = KeyHash.parse("sha256$k3x9...$...$...");   // IllegalArgumentException when malformed
 * boolean ok = stored.matches(ApiKey.parse(bearer).orElseThrow());   // constant-time
 * }</pre>
 *
 * @param id   the public id of the key
 * @param salt the salt
 * @param hash SHA-256 of salt and key
 */
public record KeyHash(String id, byte[] salt, byte[] hash) {

    private static final String SCHEME = "sha256";
    private static final int SALT_BYTES = 16;
    private static final Pattern FORM = Pattern.compile(
            "sha256\\$([a-z2-7]{12})\\$([A-Za-z0-9_-]{22})\\$([A-Za-z0-9_-]{43})");
    /** The form, for messages. */
    public static final String DESCRIBED = "sha256$<key id>$<salt>$<hash> as printed by './infergate keys hash'";

    public KeyHash {
        Objects.requireNonNull(id, "id");
        salt = salt.clone();
        hash = hash.clone();
    }

    /** The stored form of {@code key}, with a fresh salt from {@code random}. */
    public static KeyHash of(ApiKey key, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new KeyHash(key.id(), salt, digest(salt, key.token()));
    }

    /** Reads a stored form; the message of the exception says what was expected. */
    public static KeyHash parse(String stored) {
        Matcher form = FORM.matcher(stored.trim());
        if (!form.matches()) {
            String found = stored.length() > 12 ? stored.substring(0, 12) + "..." : stored;
            throw new IllegalArgumentException("expected " + DESCRIBED + ", found '" + found + "'");
        }
        Base64.Decoder base64 = Base64.getUrlDecoder();
        return new KeyHash(form.group(1), base64.decode(form.group(2)), base64.decode(form.group(3)));
    }

    /** True when {@code key} is the key this was made from; takes the same time whatever the bytes. */
    public boolean matches(ApiKey key) {
        return key.id().equals(id) & MessageDigest.isEqual(digest(salt, key.token()), hash);
    }

    /** The stored form. */
    @Override
    public String toString() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return SCHEME + "$" + id + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyHash that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    private static byte[] digest(byte[] salt, String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
