package io.infergate.loadgen.attack;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attack job managed, and what the server did about it.
 *
 * @param attack         which job: {@code idle-connections}, {@code rapid-reset} or {@code slow-headers}
 * @param wanted         connections the job tried to hold at once
 * @param opened         connections established (TCP, and TLS when the target is https), reconnections included
 * @param peakHeld       most connections open at once
 * @param heldAtEnd      connections still open when the job stopped
 * @param refused        connection attempts that failed: refused, timed out, TLS or protocol not accepted
 * @param closedByServer established connections the server closed
 * @param streamsReset   HTTP/2 streams opened and cancelled ({@code rapid-reset} only)
 * @param serverResets   streams the server reset itself ({@code RST_STREAM} received)
 * @param goaways        {@code GOAWAY} frames received
 * @param firstRefusal   why the first refused attempt failed, when one did
 */
public record AttackReport(String attack, int wanted, long opened, long peakHeld, long heldAtEnd, long refused,
                           long closedByServer, long streamsReset, long serverResets, long goaways,
                           Optional<String> firstRefusal) {

    public AttackReport {
        Objects.requireNonNull(attack, "attack");
        Objects.requireNonNull(firstRefusal, "firstRefusal");
    }

    /** One line for logs, e.g. {@code idle-connections: held 5000 of 5000 (peak 5000), 5000 opened, 0 refused, 0 closed by the server}. */
    public String summary() {
        String line = String.format(Locale.ROOT, "%s: held %d of %d (peak %d), %d opened, %d refused, %d closed by the server",
                attack, heldAtEnd, wanted, peakHeld, opened, refused, closedByServer);
        if (streamsReset > 0 || serverResets > 0 || goaways > 0) {
            line += String.format(Locale.ROOT, ", %d streams reset, %d reset by the server, %d GOAWAY", streamsReset,
                    serverResets, goaways);
        }
        return line + firstRefusal.map(why -> " (first refusal: " + why + ")").orElse("");
    }
}
