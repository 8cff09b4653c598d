package io.infergate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.gateway.security.ApiKey;
import io.infergate.gateway.security.KeyHash;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code ./infergate keys}: the stored form of a key for a config file ({@code hash}), and runtime keys
 * through a running gateway's admin API ({@code create}, {@code list}, {@code revoke}). A key the user
 * already has, minted ({@code ig-...}) or their own (see {@link ApiKey}), is read from a file, standard
 * input or an environment variable ({@link KeyInput}).
 *
 * <pre>{@code
 * ./infergate keys hash                                  # a new key and its stored form
 * ./infergate keys hash --key-file old-key.txt           # the stored form of a key you have ('-': stdin)
 * ./infergate keys create --admin http://localhost:8081 --tenant fraud --rpm 600
 * ./infergate keys create --admin http://localhost:8081 --tenant fraud --key-env OLD_KEY
 * ./infergate keys list --admin http://localhost:8081
 * ./infergate keys revoke --admin http://localhost:8081 k3x9abcdefgh
 * }</pre>
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage API keys: print a key's stored form, or create, list and revoke keys of a running gateway.",
        subcommands = {KeysCommand.Hash.class, KeysCommand.Create.class, KeysCommand.ListKeys.class,
                KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Where a key the user already has is read from: a file, standard input, or an environment variable,
     * which other users of the machine cannot see as they see a command line ({@code ps}).
     */
    static final class KeyInput {
        @Option(names = "--key-file", paramLabel = "FILE", description = "read a key you already have from FILE "
                + "('-': standard input): ig-..., or your own of 32 to 512 printable ASCII characters without spaces")
        String file;
        @Option(names = "--key-env", paramLabel = "NAME",
                description = "read a key you already have from the environment variable NAME")
        String env;

        /**
         * The key given through these options or {@code argument} (null when the command has none or it is
         * absent), or empty when none is; a {@link CommandLine.ParameterException} names the source and says
         * what is wrong, without repeating the key.
         */
        Optional<ApiKey> read(CommandLine command, String argument) {
            Map<String, Supplier<String>> given = new LinkedHashMap<>();
            if (argument != null) {
                given.put("KEY", () -> argument);
            }
            if (file != null) {
                given.put("--key-file " + file, () -> withoutLineEnd(fileText(command)));
            }
            if (env != null) {
                given.put("--key-env " + env, () -> Optional.ofNullable(System.getenv(env)).orElseThrow(() ->
                        new CommandLine.ParameterException(command, "--key-env " + env + ": the variable is not set")));
            }
            if (given.size() > 1) {
                throw new CommandLine.ParameterException(command, "expected the key from one place, found "
                        + String.join(" and ", given.keySet()));
            }
            return given.entrySet().stream().findFirst().map(source -> {
                try {
                    return ApiKey.of(source.getValue().get());
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(command, source.getKey() + ": " + e.getMessage());
                }
            });
        }

        private String fileText(CommandLine command) {
            try {
                byte[] bytes = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException | InvalidPathException e) {
                throw new CommandLine.ParameterException(command, "--key-file " + file + ": cannot read it ("
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()) + ")");
            }
        }

        /** A file's last line ending is not part of the key. */
        private static String withoutLineEnd(String text) {
            return text.replaceFirst("[\\r\\n]+$", "");
        }
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Print the stored form of a key for tenants[].keys[].hash: one you already have "
                    + "(--key-file, --key-env, or KEY), or else a new one, printed first.")
    static final class Hash implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "KEY", description = "a key you already have; other users of "
                + "this machine can see a command line, so prefer --key-file or --key-env")
        String key;

        @CommandLine.Mixin
        KeyInput input;

        @Override
        public Integer call() {
            SecureRandom random = new SecureRandom();
            PrintWriter out = spec.commandLine().getOut();
            Optional<ApiKey> given = input.read(spec.commandLine(), key);
            if (given.isPresent()) {
                out.println(KeyHash.of(given.get(), random));
            } else {
                ApiKey apiKey = ApiKey.generate(random);
                out.println("key:  " + apiKey.token() + "   (give this to the client; it is not stored)");
                out.println("hash: " + KeyHash.of(apiKey, random));
            }
            return 0;
        }
    }

    /** The admin listener a command talks to. */
    static class AdminOption {
        @Option(names = "--admin", required = true, paramLabel = "URL",
                description = "the gateway's admin listener, e.g. http://localhost:8081")
        URI admin;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Sends the request, prints the answer, returns the exit code: 0 for 2xx, 1 otherwise. */
        int send(String method, String path, String body) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI target = admin.resolve(path);
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                boolean ok = response.statusCode() / 100 == 2;
                PrintWriter out = ok ? spec.commandLine().getOut() : spec.commandLine().getErr();
                out.println(pretty(response.body()));
                if (!ok) {
                    out.println(method + " " + target + ": HTTP " + response.statusCode());
                }
                return ok ? 0 : 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println(method + " " + target + ": " + e.getMessage()
                        + " (expected a running gateway's admin listener at --admin)");
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }

        private static String pretty(String body) {
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
            } catch (IOException notJson) {
                return body;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key for a configured tenant; the key is printed this once. With --key-file or "
                    + "--key-env, add a key you already have instead.")
    static final class Create extends AdminOption implements Callable<Integer> {
        @CommandLine.Mixin
        KeyInput input;
        @Option(names = "--tenant", required = true, description = "a tenant of the gateway's config file")
        String tenant;
        @Option(names = "--name", description = "a label for people")
        String name;
        @Option(names = "--models", split = ",", description = "models the key may call (default: the tenant's)")
        List<String> models;
        @Option(names = "--priority", description = "default priority class")
        String priority;
        @Option(names = "--max-priority", description = "highest priority class the key may ask for")
        String maxPriority;
        @Option(names = "--rpm", description = "requests per minute (0: no limit)")
        long rpm;
        @Option(names = "--tpm", description = "tokens per minute (0: no limit)")
        long tpm;
        @Option(names = "--max-concurrent", description = "requests in flight at once, per replica (0: no limit)")
        int maxConcurrent;

        @Override
        public Integer call() {
            ObjectNode body = JSON.createObjectNode().put("tenant", tenant);
            input.read(spec.commandLine(), null).ifPresent(key -> body.put("key", key.token()));
            if (name != null) {
                body.put("name", name);
            }
            if (models != null) {
                models.forEach(body.putArray("models")::add);
            }
            if (priority != null) {
                body.put("priority", priority);
            }
            if (maxPriority != null) {
                body.put("max_priority", maxPriority);
            }
            body.putObject("limits").put("rpm", rpm).put("tpm", tpm).put("max_concurrent", maxConcurrent);
            return send("POST", "/admin/keys", body.toString());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys, without their secrets.")
    static final class ListKeys extends AdminOption implements Callable<Integer> {
        @Override
        public Integer call() {
            return send("GET", "/admin/keys", null);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a runtime key at once.")
    static final class Revoke extends AdminOption implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "the key's id, as 'keys list' shows it")
        String id;

        @Override
        public Integer call() {
            return send("DELETE", "/admin/keys/" + id, null);
        }
    }
}
