package io.infergate.gateway.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviders;
import io.infergate.core.scale.NodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandNodeProviderTest {

    private static final NodeSpec SPEC = new NodeSpec("chat-auto-3", "chat", Set.of("llama-3.1-8b-instruct"), "eu-west",
            CapacityKind.PREEMPTIBLE, 0.8);

    @TempDir
    Path dir;

    private Path script(String body) throws IOException {
        Path script = dir.resolve("scale.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void passesTheDecisionAsArgumentsAndJsonAndReadsTheNodeUrl() throws Exception {
        Path script = script("cat > \"" + dir + "/$1-$2.json\"\n"
                + "[ \"$1\" = add ] && echo '{\"url\":\"http://127.0.0.1:9001\"}'\nexit 0");
        try (NodeProvider provider = new CommandNodeProvider(List.of(script.toString()), Duration.ofSeconds(10))) {
            Endpoint node = provider.start(SPEC).toCompletableFuture().get(10, TimeUnit.SECONDS);
            provider.stop(node).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(node.url()).isEqualTo(URI.create("http://127.0.0.1:9001"));
            assertThat(node.capacity()).isEqualTo(CapacityKind.PREEMPTIBLE);
            assertThat(Files.readString(dir.resolve("add-chat-auto-3.json"))).isEqualTo(
                    "{\"action\":\"add\",\"id\":\"chat-auto-3\",\"pool\":\"chat\",\"models\":[\"llama-3.1-8b-instruct\"],"
                            + "\"region\":\"eu-west\",\"capacity\":\"preemptible\",\"price_per_hour\":0.8}");
            assertThat(Files.readString(dir.resolve("release-chat-auto-3.json"))).isEqualTo(
                    "{\"action\":\"release\",\"id\":\"chat-auto-3\",\"url\":\"http://127.0.0.1:9001\","
                            + "\"region\":\"eu-west\",\"capacity\":\"preemptible\"}");
        }
    }

    @Test
    void aFailingScriptFailsTheStartWithItsErrorOutput() throws Exception {
        Path script = script("echo 'no quota left in eu-west' >&2\nexit 3");
        try (NodeProvider provider = new CommandNodeProvider(List.of(script.toString()), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> provider.start(SPEC).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().hasMessage("provider command: '" + script + " add chat-auto-3' exited with 3 (expected: 0): "
                            + "'no quota left in eu-west'");
        }
    }

    @Test
    void anAnswerWithoutUrlFailsTheStart() throws Exception {
        Path script = script("echo '{\"ok\":true}'");
        try (NodeProvider provider = new CommandNodeProvider(List.of(script.toString()), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> provider.start(SPEC).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .cause().hasMessageEndingWith("printed '{\"ok\":true}' (expected: a \"url\" field with the node's http(s) base URL)");
        }
    }

    @Test
    void isFoundByTypeAndNeedsACommand() {
        try (NodeProvider provider = NodeProviders.create("command", Map.of("command", "./scale.sh --cloud eu"))) {
            assertThat(provider).isInstanceOf(CommandNodeProvider.class);
        }
        assertThatThrownBy(() -> NodeProviders.create("command", Map.of()))
                .hasMessage("provider command: command: missing (expected: a value)");
    }
}
