package io.infergate.gateway.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as a client holds it. A key the gateway mints is {@code ig-<id>_<secret>}, where {@code id}
 * is 12 characters of base32 (60 random bits, not secret: it names the key in logs, the admin API and
 * the stored form, and lets the gateway find the key in one map lookup) and {@code secret} is 32 random
 * bytes in unpadded base64url (256 bits). A key of the user's own (one their clients already send to
 * another gateway) is any other {@value #MIN_OWN_LENGTH} to {@value #MAX_OWN_LENGTH} printable ASCII
 * characters without spaces, not starting with {@code ig-}. It carries no id, so its id is derived from
 * it: HMAC-SHA256 of the key under a fixed label, its first 60 bits in the same base32, the same in every
 * gateway, so that it is found in one lookup too. The gateway never stores a key, only its {@link KeyHash}.
 *
 * <pre>{@code
 * ApiKey key = ApiKey.generate(new SecureRandom());
 * String token = key.token();                 // give to the client once
 * KeyHash stored = KeyHash.of(key, random);   // keep this
 * ApiKey own = ApiKey.of(secretFromAFile);    // IllegalArgumentException saying what is wrong with it
 * }</pre>
 *
 * @param id    the key's public id
 * @param token the whole key, secret included
 */
public record ApiKey(String id, String token) {

    static final String PREFIX = "ig-";
    static final int ID_LENGTH = 12;
    /** Bounds on the length of a key of the user's own. */
    public static final int MIN_OWN_LENGTH = 32;
    public static final int MAX_OWN_LENGTH = 512;
    private static final int SECRET_BYTES = 32;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern MINTED = Pattern.compile("ig-[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
    private static final String MINTED_FORM = "ig-<12 base32 characters>_<43 base64url characters>";
    /** The HMAC key that derives an own key's id: fixed, so that the same key has the same id everywhere. */
    private static final SecretKeySpec ID_LABEL = new SecretKeySpec(
            "infergate api key id v1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256");

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
    }

    /** A new key from {@code random}. */
    public static ApiKey generate(SecureRandom random) {
        String id = base32(random.nextLong());
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new ApiKey(id, PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /**
     * The key {@code token} spells, minted or the user's own, or empty when it can be neither: what a
     * request's {@code Authorization} header is read with, where the reason does not matter.
     */
    public static Optional<ApiKey> parse(String token) {
        return token == null || problem(token) != null ? Optional.empty() : Optional.of(read(token));
    }

    /**
     * The key {@code token} spells, minted or the user's own: what a person gives. Throws
     * {@link IllegalArgumentException} whose message says what is wrong with it, without repeating it.
     */
    public static ApiKey of(String token) {
        String problem = problem(token);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return read(token);
    }

    /** A token {@link #problem} accepts. */
    private static ApiKey read(String token) {
        return token.startsWith(PREFIX) ? new ApiKey(token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH), token)
                : new ApiKey(derivedId(token), token);
    }

    /**
     * What keeps {@code token} from being a key, or null when nothing does. A minted key always passes the
     * checks of an own key; a token that starts like one must be a whole one, so that a minted key cut
     * short is not taken for an own key.
     */
    private static String problem(String token) {
        if (token.startsWith(PREFIX)) {
            return MINTED.matcher(token).matches() ? null : "starts with '" + PREFIX + "' but is not a whole key of "
                    + "the form " + MINTED_FORM + " (" + token.length() + " characters; a key of your own may not "
                    + "start with '" + PREFIX + "')";
        }
        if (token.length() < MIN_OWN_LENGTH || token.length() > MAX_OWN_LENGTH) {
            return "expected " + MIN_OWN_LENGTH + " to " + MAX_OWN_LENGTH + " characters, found " + token.length();
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                String what = c == ' ' ? "a space" : c == '\t' ? "a tab" : c == '\n' || c == '\r' ? "a line break"
                        : c < ' ' || c == 0x7f ? "a control character" : "not ASCII";
                return "character " + (i + 1) + " of " + token.length() + " is " + what
                        + " (expected printable ASCII characters without spaces)";
            }
        }
        return null;
    }

    /** The first 60 bits of HMAC-SHA256 of {@code token} under {@link #ID_LABEL}, in base32. */
    private static String derivedId(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(ID_LABEL);
            return base32(ByteBuffer.wrap(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII))).getLong());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** {@link #ID_LENGTH} base32 characters of {@code bits}, lowest bits first. */
    private static String base32(long bits) {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < ID_LENGTH; i++) {
            id[i] = BASE32[(int) (bits >>> (5 * i)) & 31];
        }
        return new String(id);
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", secret hidden]";
    }
}
