package io.infergate.gateway.config;

import io.infergate.gateway.security.IpLiterals;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Converts YAML nodes into typed values. Each conversion either returns the value or records a
 * {@link ConfigError} at the node and returns empty, so that reading goes on and every error is found.
 * Scalars go through {@link EnvironmentInterpolator} first.
 */
final class NodeReader {

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    private final Problems problems;
    private final EnvironmentInterpolator environment;

    NodeReader(Problems problems, EnvironmentInterpolator environment) {
        this.problems = problems;
        this.environment = environment;
    }

    Problems problems() {
        return problems;
    }

    /** True for an explicit or implicit YAML null ({@code key:}, {@code key: ~}, {@code key: null}). */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    Optional<YamlMapping> mapping(Node node, String path) {
        if (node instanceof MappingNode mapping) {
            return Optional.of(new YamlMapping(mapping, path, this));
        }
        problems.add(node, path, "expected a mapping (key: value lines), found " + describe(node));
        return Optional.empty();
    }

    /** The items of a list that convert; empty if {@code node} is no list. */
    <T> Optional<List<T>> list(Node node, String path, NodeConverter<T> item) {
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(node, path, "expected a list, found " + describe(node));
            return Optional.empty();
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node itemNode = sequence.getValue().get(i);
            String itemPath = Problems.item(path, i);
            if (isNull(itemNode)) {
                problems.add(itemNode, itemPath, "expected a list item, found an empty one");
            } else {
                item.convert(itemNode, itemPath).ifPresent(items::add);
            }
        }
        return Optional.of(items);
    }

    /** As {@link #list}, reporting an empty list as an error that names what {@code noun} was expected. */
    <T> Optional<List<T>> nonEmptyList(Node node, String path, String noun, NodeConverter<T> item) {
        if (node instanceof SequenceNode sequence && sequence.getValue().isEmpty()) {
            problems.add(node, path, "expected at least one " + noun + ", found an empty list");
            return Optional.empty();
        }
        return list(node, path, item);
    }

    /** Any text, after environment interpolation. */
    Optional<String> text(Node node, String path) {
        if (!(node instanceof ScalarNode scalar)) {
            problems.add(node, path, "expected a single value, found " + describe(node));
            return Optional.empty();
        }
        List<String> unresolved = new ArrayList<>();
        String text = environment.interpolate(scalar.getValue(), unresolved::add);
        unresolved.forEach(message -> problems.add(node, path, message));
        return unresolved.isEmpty() ? Optional.of(text) : Optional.empty();
    }

    /** Text that is not empty or blank. */
    Optional<String> nonBlank(Node node, String path) {
        return text(node, path).filter(text -> {
            if (text.isBlank()) {
                problems.add(node, path, "expected a non-empty value, found '" + text + "'");
            }
            return !text.isBlank();
        });
    }

    /** Text without whitespace, such as a model name ({@code meta-llama/Llama-3.1-8B-Instruct}). */
    Optional<String> token(Node node, String path) {
        return nonBlank(node, path).filter(text -> {
            boolean plain = text.codePoints().noneMatch(Character::isWhitespace);
            if (!plain) {
                problems.add(node, path, "expected a value without spaces, found '" + text + "'");
            }
            return plain;
        });
    }

    /** A name usable as an id, a metric label and a header value: letters, digits, '.', '_', ':', '-'. */
    Optional<String> name(Node node, String path) {
        return text(node, path).filter(text -> {
            boolean valid = NAME.matcher(text).matches();
            if (!valid) {
                problems.add(node, path, "expected a name of letters, digits, '.', '_', ':' or '-' "
                        + "(starting with a letter or digit), found '" + text + "'");
            }
            return valid;
        });
    }

    /** A whole number within {@code [min, max]}. */
    Optional<Long> integer(Node node, String path, long min, long max) {
        return text(node, path).flatMap(text -> {
            String trimmed = text.trim();
            if (!INTEGER.matcher(trimmed).matches()) {
                String expected = DECIMAL.matcher(trimmed).matches() ? "a whole number" : "a number";
                problems.add(node, path, "expected " + expected + ", found '" + text + "'");
                return Optional.empty();
            }
            Optional<Long> value = parseLong(trimmed).filter(v -> v >= min && v <= max);
            if (value.isEmpty()) {
                String range = max == Long.MAX_VALUE ? " >= " + min : " from " + min + " to " + max;
                problems.add(node, path, "expected a number" + range + ", found " + trimmed);
            }
            return value;
        });
    }

    /** A decimal number of at least 0, such as a price. */
    Optional<Double> nonNegative(Node node, String path) {
        return text(node, path).flatMap(text -> {
            String trimmed = text.trim();
            if (!DECIMAL.matcher(trimmed).matches()) {
                problems.add(node, path, "expected a number, found '" + text + "'");
                return Optional.empty();
            }
            double value = Double.parseDouble(trimmed);
            if (value < 0 || Double.isInfinite(value)) {
                problems.add(node, path, "expected a number >= 0, found " + trimmed);
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }

    /** {@code true} or {@code false}; case is ignored. */
    Optional<Boolean> bool(Node node, String path) {
        return text(node, path).flatMap(text -> {
            String trimmed = text.trim();
            if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
                return Optional.of(Boolean.parseBoolean(trimmed));
            }
            problems.add(node, path, "expected true or false, found '" + text + "'");
            return Optional.empty();
        });
    }

    /** One of {@code values}, spelled as {@link ConfigNames} spells them; case is ignored. */
    <E extends Enum<E>> Optional<E> choice(Node node, String path, E[] values) {
        return text(node, path).flatMap(text -> {
            for (E value : values) {
                if (ConfigNames.of(value).equalsIgnoreCase(text.trim())) {
                    return Optional.of(value);
                }
            }
            List<String> names = ConfigNames.of(values);
            problems.add(node, path, "expected one of " + String.join(", ", names) + ", found '" + text + "'"
                    + Suggestions.didYouMean(text, names));
            return Optional.empty();
        });
    }

    /** An absolute http or https URL with a host and no query or fragment; a trailing '/' is dropped. */
    Optional<URI> httpUrl(Node node, String path) {
        return text(node, path).flatMap(text -> {
            String trimmed = text.trim();
            String lower = trimmed.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                problems.add(node, path, "expected an http:// or https:// URL, found '" + text + "'");
                return Optional.empty();
            }
            URI uri;
            try {
                uri = new URI(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            } catch (URISyntaxException e) {
                String where = e.getIndex() >= 0 && e.getIndex() < e.getInput().length()
                        ? ": '" + e.getInput().charAt(e.getIndex()) + "' at position " + (e.getIndex() + 1) : "";
                problems.add(node, path, "expected a valid URL, found '" + text + "' (" + e.getReason() + where + ")");
                return Optional.empty();
            }
            String problem = uri.getHost() == null
                    ? "expected a URL with a host name (letters, digits, '-' and '.'; no '_') or a dotted-decimal IP "
                    + "address, found '" + text + "'" + numericHost(uri)
                    : uri.getRawQuery() != null || uri.getRawFragment() != null
                    ? "expected a base URL without '?query' or '#fragment', found '" + text + "'"
                    : null;
            if (problem != null) {
                problems.add(node, path, problem);
                return Optional.empty();
            }
            return Optional.of(uri);
        });
    }

    /** What a host {@link URI} does not take as one means when it is an IPv4 address in another form, if it is. */
    private static String numericHost(URI uri) {
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String host = authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":[0-9]*$", "");
        return IpLiterals.legacyIpv4(host).map(address -> " ('" + host + "' is an IPv4 address not written in dotted "
                + "decimal, which resolvers read as " + IpLiterals.format(address) + ")").orElse("");
    }

    /**
     * A readable PEM file holding a {@code -----BEGIN ...<block>-----} line, e.g. {@code block} "CERTIFICATE"
     * or "PRIVATE KEY". Only the path is ever shown in errors, never the file's content.
     */
    Optional<Path> pemFile(Node node, String path, String block) {
        return nonBlank(node, path).flatMap(text -> {
            Path file = Path.of(text.trim());
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                problems.add(node, path, "expected a readable PEM file, found '" + text + "' (no such file)");
                return Optional.empty();
            } catch (IOException | UncheckedIOException e) {
                problems.add(node, path, "expected a readable PEM file, found '" + text + "' ("
                        + e.getClass().getSimpleName() + ")");
                return Optional.empty();
            }
            boolean found = lines.stream().map(String::trim)
                    .anyMatch(line -> line.startsWith("-----BEGIN ") && line.endsWith(block + "-----"));
            if (!found) {
                problems.add(node, path, "expected a PEM file with a '-----BEGIN " + block + "-----' block, found "
                        + "none in '" + text + "'");
                return Optional.empty();
            }
            return Optional.of(file);
        });
    }

    /** How a node appears in "found ..." messages. */
    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return isNull(node) ? "nothing" : "'" + scalar.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }
}
