package io.infergate.gateway.config;

import io.infergate.gateway.security.HostResolver;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the gateway's YAML configuration file and validates it. Invalid files throw a
 * {@link ConfigException} listing every problem with file, line, column and field.
 *
 * <pre>{@code
 * GatewayConfig config = ConfigLoader.load(Path.of("infergate.yaml"));
 * GatewayConfig inTest = ConfigLoader.parse("pools: [...]", "test.yaml", Map.of("HOST", "127.0.0.1"));
 * EndpointConfig joining = ConfigLoader.endpoint("{\"pool\": \"chat\", \"url\": \"http://10.0.0.7:8000\"}",
 *         "request body", config.pools());
 * }</pre>
 *
 * <p>Endpoint host names are resolved, and every address checked against their pool's
 * {@code allowed_endpoints} and the addresses no endpoint may have (see
 * {@link io.infergate.gateway.security.EndpointAddressPolicy}).
 *
 * <p>Values may refer to environment variables as {@code ${VAR}} or {@code ${VAR:-default}}.
 * The keys, defaults and rules are documented in {@code docs/configuration.md}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Reads {@code file} (UTF-8), substituting the process environment. */
    public static GatewayConfig load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses {@code yaml}, substituting the process environment; {@code sourceName} names it in errors. */
    public static GatewayConfig parse(String yaml, String sourceName) throws ConfigException {
        return parse(yaml, sourceName, System.getenv());
    }

    /** Parses {@code yaml}, substituting {@code ${VAR}} references from {@code environment}. */
    public static GatewayConfig parse(String yaml, String sourceName, Map<String, String> environment)
            throws ConfigException {
        Problems problems = new Problems(sourceName);
        Optional<Node> document = compose(yaml, sourceName, problems);
        Optional<GatewayConfig> config = document.flatMap(root ->
                new GatewayConfigBinder(new NodeReader(problems, new EnvironmentInterpolator(environment)),
                        HostResolver.system()).bind(root));
        if (document.isEmpty() && problems.isEmpty()) {
            problems.add(1, 1, "", "the file has no content (expected: a mapping with at least 'pools:')");
        }
        problems.throwIfAny();
        return config.orElseThrow(() -> new IllegalStateException("no configuration and no error for " + sourceName));
    }

    /**
     * Reads one endpoint joining a running gateway, as {@code POST /admin/endpoints} receives it: a JSON
     * (or YAML) object with the keys of a {@code pools[].endpoints[]} entry and {@code pool}, the name of
     * one of {@code pools}, whose server type and models the endpoint takes. The gateway's environment
     * is not read: {@code ${VAR}} is an error, {@code ${VAR:-default}} its default.
     *
     * @throws ConfigException with every problem, located in the body and naming the field
     */
    public static EndpointConfig endpoint(String body, String sourceName, List<PoolConfig> pools)
            throws ConfigException {
        Problems problems = new Problems(sourceName);
        Optional<Node> document = compose(body, sourceName, problems);
        NodeReader reader = new NodeReader(problems, new EnvironmentInterpolator(Map.of()));
        Optional<EndpointConfig> endpoint = document.flatMap(root ->
                new GatewayConfigBinder(reader, HostResolver.system()).joiningEndpoint(root, pools));
        if (document.isEmpty() && problems.isEmpty()) {
            problems.add(1, 1, "", "the body has no content (expected: an object with at least 'pool' and 'url')");
        }
        problems.throwIfAny();
        return endpoint.orElseThrow(() -> new IllegalStateException("no endpoint and no error for " + sourceName));
    }

    private static Optional<Node> compose(String yaml, String sourceName, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(sourceName).setSchema(new CoreSchema()).build();
        try {
            return new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            String context = e.getContext() == null || e.getContext().isEmpty() ? "" : " (" + e.getContext()
                    + e.getContextMark().map(mark -> " started at line " + (mark.getLine() + 1)).orElse("") + ")";
            problems.add(e.getProblemMark(), Problems.SYNTAX, e.getProblem() + context);
        } catch (ReaderException e) {
            int line = 1;
            int column = 1;
            int offset = yaml.offsetByCodePoints(0, Math.min(e.getPosition(), yaml.codePointCount(0, yaml.length())));
            for (int i = 0; i < offset; i++) {
                boolean newline = yaml.charAt(i) == '\n';
                line += newline ? 1 : 0;
                column = newline ? 1 : column + 1;
            }
            problems.add(line, column, Problems.SYNTAX, e.getMessage() + ": found U+%04X".formatted(e.getCodePoint()));
        } catch (YamlEngineException e) {
            problems.add(1, 1, Problems.SYNTAX, e.getMessage());
        }
        return Optional.empty();
    }
}
