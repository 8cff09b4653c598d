package io.infergate.gateway.event;

/** What happened in a hedging race; the {@code event} label of the hedge metric. */
public enum HedgeEvent {
    /** A hedge was sent to another endpoint. */
    SENT("sent"),
    /** The first attempt's head came first; the hedges were reset. */
    FIRST_WON("first_won"),
    /** A hedge's head came first; the other attempts were reset. */
    HEDGE_WON("hedge_won");

    private final String label;

    HedgeEvent(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
