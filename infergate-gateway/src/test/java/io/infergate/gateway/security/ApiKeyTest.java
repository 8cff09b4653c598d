package io.infergate.gateway.security;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Minted keys and keys of the user's own: their ids, their stored forms, and what is refused and why. */
class ApiKeyTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String OWN = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD";

    @Test
    void aMintedKeyIsFoundByTheIdItCarries() {
        ApiKey minted = ApiKey.generate(RANDOM);

        assertThat(minted.token()).matches("ig-[a-z2-7]{12}_[A-Za-z0-9_-]{43}").startsWith("ig-" + minted.id() + "_");
        assertThat(ApiKey.parse(minted.token())).contains(minted);
        assertThat(ApiKey.of(minted.token())).isEqualTo(minted);
    }

    @Test
    void anOwnKeyGetsAnIdDerivedFromItThatNeverChanges() {
        ApiKey own = ApiKey.of(OWN);

        // HMAC-SHA256 under "infergate api key id v1", first 60 bits: pinned, since config files store it
        assertThat(own.id()).isEqualTo("hgjte2zndg2l");
        assertThat(ApiKey.of("a".repeat(32)).id()).isEqualTo("7dh3iqsvc7pl");
        assertThat(ApiKey.parse(OWN)).contains(own);
        assertThat(own.token()).isEqualTo(OWN);
    }

    @Test
    void anOwnKeyIsStoredAndMatchedLikeAMintedOne() {
        KeyHash stored = KeyHash.parse(KeyHash.of(ApiKey.of(OWN), RANDOM).toString());

        assertThat(stored.id()).isEqualTo(ApiKey.of(OWN).id());
        assertThat(stored.matches(ApiKey.parse(OWN).orElseThrow())).isTrue();
        assertThat(stored.matches(ApiKey.parse(OWN.replace('A', 'B')).orElseThrow())).isFalse();
    }

    @Test
    void ownKeysOf32To512PrintableCharactersAreAccepted() {
        String printable = "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";

        assertThat(ApiKey.parse("x".repeat(32))).isPresent();
        assertThat(ApiKey.parse("x".repeat(512))).isPresent();
        assertThat(ApiKey.parse(printable)).isPresent();
    }

    @Test
    void aBadKeyIsRefusedWithAReasonThatDoesNotRepeatIt() {
        String secret = "Zq8vLk2Wm4Tn";
        assertRefused(secret.repeat(2), "expected 32 to 512 characters, found 24");
        assertRefused(secret.repeat(43), "expected 32 to 512 characters, found 516");
        assertRefused(secret + " " + secret + secret, "character 13 of 37 is a space");
        assertRefused(secret + secret + "\t" + secret, "character 25 of 37 is a tab");
        assertRefused(secret.repeat(3) + "\n", "character 37 of 37 is a line break");
        assertRefused(secret + "\0" + secret.repeat(2), "character 13 of 37 is a control character");
        assertRefused(secret.repeat(3) + "\177", "character 37 of 37 is a control character");
        assertRefused(secret + "\u00e9" + secret.repeat(2), "character 13 of 37 is not ASCII");
    }

    @Test
    void aMintedKeyCutShortIsNotTakenForAnOwnKey() {
        String minted = ApiKey.generate(RANDOM).token();

        assertRefused(minted.substring(0, minted.length() - 1), "starts with 'ig-' but is not a whole key");
    }

    @Test
    void theKeyNeverShowsInItsDescription() {
        assertThat(ApiKey.of(OWN).toString()).doesNotContain(OWN).contains("hgjte2zndg2l");
        ApiKey minted = ApiKey.generate(RANDOM);
        assertThat(minted.toString()).doesNotContain(minted.token()).contains(minted.id());
    }

    private static void assertRefused(String token, String reason) {
        assertThat(ApiKey.parse(token)).as("parse").isEmpty();
        assertThatThrownBy(() -> ApiKey.of(token)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Zq8vLk2Wm4Tn").doesNotContain(token));
    }
}
