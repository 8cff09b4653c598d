package io.infergate.cli;

import io.infergate.gateway.Gateway;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.security.ApiKey;
import io.infergate.gateway.security.KeyHash;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = command.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void hashPrintsAStoredFormThatMatchesTheKey() {
        Run generated = run("keys", "hash");
        Matcher key = Pattern.compile("key:\\s+(ig-\\S+)").matcher(generated.out());
        assertThat(key.find()).isTrue();

        Run hashed = run("keys", "hash", key.group(1));

        assertThat(hashed.exitCode()).isZero();
        assertThat(KeyHash.parse(hashed.out().trim()).matches(ApiKey.parse(key.group(1)).orElseThrow())).isTrue();
    }

    @Test
    void hashRefusesSomethingThatIsNoKey() {
        Run run = run("keys", "hash", "password123");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("expected a key of the form ig-").doesNotContain("password123");
    }

    @Test
    void createListAndRevokeGoThroughTheAdminApi() throws Exception {
        String hash = KeyHash.of(ApiKey.generate(new java.security.SecureRandom()), new java.security.SecureRandom())
                .toString();
        try (Gateway gateway = Gateway.start(ConfigLoader.parse("""
                listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                pools: [{name: p, models: [m], endpoints: [{url: "http://127.0.0.1:9"}]}]
                tenants: [{name: acme, keys: [{hash: "%s"}]}]
                """.formatted(hash), "keys-test.yaml"))) {
            String admin = "http://127.0.0.1:" + gateway.adminPort();

            Run created = run("keys", "create", "--admin", admin, "--tenant", "acme", "--rpm", "5");
            assertThat(created.exitCode()).as(created.err()).isZero();
            Matcher id = Pattern.compile("\"id\" : \"([a-z2-7]{12})\"").matcher(created.out());
            assertThat(id.find()).isTrue();
            assertThat(created.out()).contains("\"key\" : \"ig-" + id.group(1) + "_").contains("\"rpm\" : 5");

            Run listed = run("keys", "list", "--admin", admin);
            assertThat(listed.out()).contains(id.group(1)).doesNotContain("\"key\"");

            assertThat(run("keys", "revoke", "--admin", admin, id.group(1)).exitCode()).isZero();
            Run again = run("keys", "revoke", "--admin", admin, id.group(1));
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("key_not_found").contains("HTTP 404");
        }
    }
}
