package io.infergate.gateway.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as a client holds it: {@code ig-<id>_<secret>}, where {@code id} is 12 characters of
 * base32 (60 random bits, not secret: it names the key in logs, the admin API and the stored form, and
 * lets the gateway find the key in one map lookup) and {@code secret} is 32 random bytes in unpadded
 * base64url (256 bits). The gateway never stores a key, only its {@link KeyHash}.
 *
 * <pre>{@code
 * ApiKey key = ApiKey.generate(new SecureRandom());
 * String token = key.token();                 // give to the client once
 * KeyHash stored = KeyHash.of(key, random);   // keep this
 * }</pre>
 *
 * @param id    the key's public id
 * @param token the whole key, secret included
 */
public record ApiKey(String id, String token) {

    static final String PREFIX = "ig-";
    static final int ID_LENGTH = 12;
    private static final int SECRET_BYTES = 32;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern FORM = Pattern.compile("ig-[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
    /** The form, for messages. */
    static final String DESCRIBED = "ig-<12 base32 characters>_<43 base64url characters>";

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
    }

    /** A new key from {@code random}. */
    public static ApiKey generate(SecureRandom random) {
        long bits = random.nextLong();
        StringBuilder token = new StringBuilder(PREFIX);
        for (int i = 0; i < ID_LENGTH; i++) {
            token.append(BASE32[(int) (bits >>> (5 * i)) & 31]);
        }
        String id = token.substring(PREFIX.length());
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        token.append('_').append(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        return new ApiKey(id, token.toString());
    }

    /** The key {@code token} spells, or empty when it does not have the form of one. */
    public static Optional<ApiKey> parse(String token) {
        if (token == null || !FORM.matcher(token).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH), token));
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return PREFIX + id + "_...";
    }
}
