package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Collects the {@link ConfigError}s of one file while it is read, so that all of them are reported. */
final class Problems {

    /** The field name used for errors about the file as a whole. */
    static final String DOCUMENT = "(document)";
    /** The field name used for YAML syntax errors. */
    static final String SYNTAX = "(syntax)";

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    /** Records an error located at the start of {@code node}; an empty {@code field} is the document. */
    void add(Node node, String field, String message) {
        add(node.getStartMark(), field, message);
    }

    void add(Optional<Mark> mark, String field, String message) {
        add(mark.map(m -> m.getLine() + 1).orElse(1), mark.map(m -> m.getColumn() + 1).orElse(1), field, message);
    }

    void add(int line, int column, String field, String message) {
        errors.add(new ConfigError(file, line, column, field.isEmpty() ? DOCUMENT : field, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /**
     * Throws the collected errors, ordered by position, if there are any. An error found twice (in a
     * mapping merged into two places) is reported once.
     */
    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors.stream()
                    .distinct()
                    .sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column))
                    .toList());
        }
    }

    /** The 1-based line {@code node} starts on, for messages such as "first at line 4". */
    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    /** The path of {@code key} inside the mapping at {@code path}. */
    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The path of item {@code index} of the list at {@code path}. */
    static String item(String path, int index) {
        return path + "[" + index + "]";
    }
}
