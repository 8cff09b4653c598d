package io.infergate.core.fleet;

/** Whether a node is reserved for us or may be taken back by its provider at short notice. */
public enum CapacityKind {
    DEDICATED, PREEMPTIBLE
}
