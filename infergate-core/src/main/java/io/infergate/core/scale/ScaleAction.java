package io.infergate.core.scale;

/** What a {@link Decision} asks the node provider to do. */
public enum ScaleAction {
    ADD, RELEASE, HOLD;

    /** Lower-case name used as a metric label and in JSON, e.g. {@code add}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
