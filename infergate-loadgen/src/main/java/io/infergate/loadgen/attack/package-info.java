/**
 * An attacker for the {@code attack} bench: connections a server should not let hurt its other clients.
 * Start with {@link io.infergate.loadgen.attack.Attacker}, whose jobs are
 * {@link io.infergate.loadgen.attack.IdleConnections} (connections that never send a byte),
 * {@link io.infergate.loadgen.attack.RapidReset} (HTTP/2 streams opened and cancelled at once, CVE-2023-44487,
 * framed by {@link io.infergate.loadgen.attack.Http2Frames}) and {@link io.infergate.loadgen.attack.SlowHeaders}
 * (slowloris); each ends with an {@link io.infergate.loadgen.attack.AttackReport}.
 */
package io.infergate.loadgen.attack;
