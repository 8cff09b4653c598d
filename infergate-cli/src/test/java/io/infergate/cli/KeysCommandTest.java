package io.infergate.cli;

import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.Gateway;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.security.ApiKey;
import io.infergate.gateway.security.KeyHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    /** A key as another gateway would have minted it. */
    private static final String OWN_KEY = "sk-live-4fJx9QmZ2rT8wLp0Vb6NcY3hKd7GsE1uAo5Ri";
    private static final String MODEL = "llama-3.1-8b-instruct";

    @TempDir
    Path dir;

    private static Run withStdin(String input, Supplier<Run> command) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(stdin);
        }
    }

    private static HttpResponse<String> chat(HttpClient http, Gateway gateway, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
                        + "\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
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
        assertThat(run.err()).contains("KEY: expected 32 to 512 characters, found 11").doesNotContain("password123");
    }

    @Test
    void hashReadsAKeyOfTheUsersOwnFromAFileOrStandardInput() throws Exception {
        Path file = dir.resolve("old-key.txt");
        Files.writeString(file, OWN_KEY + "\n");

        Run fromFile = run("keys", "hash", "--key-file", file.toString());
        Run fromStdin = withStdin(OWN_KEY + "\r\n", () -> run("keys", "hash", "--key-file", "-"));

        for (Run hashed : new Run[]{fromFile, fromStdin}) {
            assertThat(hashed.exitCode()).as(hashed.err()).isZero();
            KeyHash stored = KeyHash.parse(hashed.out().trim());
            assertThat(stored.id()).isEqualTo(ApiKey.of(OWN_KEY).id());
            assertThat(stored.matches(ApiKey.parse(OWN_KEY).orElseThrow())).isTrue();
            assertThat(hashed.out()).doesNotContain(OWN_KEY);
        }
    }

    @Test
    void hashRefusesABadKeySayingWhereItCameFromAndWhatIsWrong() throws Exception {
        Path file = dir.resolve("bad-key.txt");
        Files.writeString(file, "Zq8vLk2Wm4Tn Zq8vLk2Wm4Tn Zq8vLk2Wm4Tn\n");

        Run spaced = run("keys", "hash", "--key-file", file.toString());
        Run missing = run("keys", "hash", "--key-file", dir.resolve("none.txt").toString());
        Run unset = run("keys", "hash", "--key-env", "INFERGATE_TEST_NO_SUCH_VARIABLE");
        Run twice = run("keys", "hash", "--key-file", file.toString(), OWN_KEY);

        assertThat(spaced.exitCode()).isEqualTo(2);
        assertThat(spaced.err()).contains("--key-file " + file + ": character 13 of 38 is a space")
                .doesNotContain("Zq8vLk2Wm4Tn");
        assertThat(missing.err()).contains("none.txt: cannot read it (no such file)");
        assertThat(unset.err()).contains("--key-env INFERGATE_TEST_NO_SUCH_VARIABLE: the variable is not set");
        assertThat(twice.err()).contains("expected the key from one place, found KEY and --key-file")
                .doesNotContain(OWN_KEY);
        assertThat(List.of(missing, unset, twice)).extracting(Run::exitCode).containsOnly(2);
    }

    @Test
    void aKeyOfTheUsersOwnWorksFromTheConfigFileAndThroughKeysCreate() throws Exception {
        Path configKey = dir.resolve("config-key.txt");
        Files.writeString(configKey, OWN_KEY);
        String runtimeKey = OWN_KEY.replace("sk-live-", "sk-test-");
        Path runtimeKeyFile = dir.resolve("runtime-key.txt");
        Files.writeString(runtimeKeyFile, runtimeKey + "\n");
        String hash = run("keys", "hash", "--key-file", configKey.toString()).out().trim();
        try (EmulatorServer emulator = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0)
                .speed(20).models(List.of(MODEL)).build());
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                     pools: [{name: p, models: [%s], endpoints: [{url: "%s"}]}]
                     tenants: [{name: acme, keys: [{hash: "%s"}]}]
                     """.formatted(MODEL, emulator.url(), hash), "keys-test.yaml"));
             HttpClient http = HttpClient.newHttpClient()) {
            String admin = "http://127.0.0.1:" + gateway.adminPort();
            assertThat(chat(http, gateway, OWN_KEY).statusCode()).isEqualTo(200);

            Run created = run("keys", "create", "--admin", admin, "--tenant", "acme", "--key-file",
                    runtimeKeyFile.toString());

            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("\"id\" : \"" + ApiKey.of(runtimeKey).id() + "\"")
                    .doesNotContain(runtimeKey).doesNotContain("\"key\"");
            assertThat(chat(http, gateway, runtimeKey).statusCode()).isEqualTo(200);
            Run again = run("keys", "create", "--admin", admin, "--tenant", "acme", "--key-file",
                    runtimeKeyFile.toString());
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("key_exists").contains("HTTP 409").doesNotContain(runtimeKey);
        }
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
