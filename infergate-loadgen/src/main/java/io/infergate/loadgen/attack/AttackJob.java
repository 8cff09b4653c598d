package io.infergate.loadgen.attack;

import io.vertx.core.Context;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One attack job: keeps up to {@code wanted} connections open to the target, opening at most
 * {@link Attacker#CONNECTS_PER_SECOND} a second and opening again, at that pace, those the server closes
 * or refuses, until {@link #stop}. What each connection then sends is the subclass's job. Everything runs
 * on the attacker's single event loop, so the state needs no locking.
 */
public abstract sealed class AttackJob permits IdleConnections, RapidReset, SlowHeaders {

    /** How often the job opens connections and the flood and trickle write. */
    static final long TICK_MILLIS = 10;

    private final String name;
    private final Context context;
    private final NetClient client;
    private final SocketAddress target;
    private final int wanted;
    private final double connectsPerTick;
    private final Set<NetSocket> open = new HashSet<>();
    private int pending;
    private double budget;
    private long timer = -1;
    private boolean stopped;
    private long opened;
    private long peakHeld;
    private long refused;
    private long closedByServer;
    private Optional<String> firstRefusal = Optional.empty();
    /** Counted by {@link RapidReset}; zero for the other jobs. */
    long streamsReset;
    long serverResets;
    long goaways;

    AttackJob(String name, Context context, NetClient client, SocketAddress target, int wanted) {
        this.name = Objects.requireNonNull(name, "name");
        this.context = Objects.requireNonNull(context, "context");
        this.client = Objects.requireNonNull(client, "client");
        this.target = Objects.requireNonNull(target, "target");
        if (wanted < 1) {
            throw new IllegalArgumentException(name + ": " + wanted + " connections (expected: >= 1)");
        }
        this.wanted = wanted;
        this.connectsPerTick = Attacker.CONNECTS_PER_SECOND * TICK_MILLIS / 1000.0;
    }

    /** Starts opening connections; returns at once. */
    final void start() {
        context.runOnContext(v -> timer = context.owner().setPeriodic(TICK_MILLIS, id -> tick()));
    }

    /**
     * Called on each connection once established; returns why it cannot serve the attack (e.g. the server
     * did not accept HTTP/2), in which case it counts as refused and is closed.
     */
    abstract Optional<String> onOpen(NetSocket socket);

    /** Called every {@link #TICK_MILLIS} with the connections open. */
    void onTick(Set<NetSocket> connections) {
    }

    /** Called when a connection is gone, whoever closed it. */
    void onClosed(NetSocket socket) {
    }

    /** Stops opening, closes every connection, and says what the job managed. */
    public final AttackReport stop() {
        CompletableFuture<AttackReport> report = new CompletableFuture<>();
        context.runOnContext(v -> {
            stopped = true;
            context.owner().cancelTimer(timer);
            long held = open.size();
            List.copyOf(open).forEach(NetSocket::close);
            report.complete(new AttackReport(name, wanted, opened, peakHeld, held, refused, closedByServer,
                    streamsReset, serverResets, goaways, firstRefusal));
        });
        return report.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private void tick() {
        budget = Math.min(budget + connectsPerTick, Math.max(1, connectsPerTick));
        while (budget >= 1 && open.size() + pending < wanted) {
            budget--;
            pending++;
            client.connect(target).onComplete(ar -> {
                pending--;
                if (ar.failed()) {
                    refuse(String.valueOf(ar.cause().getMessage()));
                } else if (stopped) {
                    ar.result().close();
                } else {
                    established(ar.result());
                }
            });
        }
        onTick(open);
    }

    private void established(NetSocket socket) {
        socket.exceptionHandler(e -> { });
        Optional<String> refusal = onOpen(socket);
        if (refusal.isPresent()) {
            refuse(refusal.get());
            socket.close();
            return;
        }
        open.add(socket);
        opened++;
        peakHeld = Math.max(peakHeld, open.size());
        socket.closeHandler(v -> {
            if (open.remove(socket) && !stopped) {
                closedByServer++;
            }
            onClosed(socket);
        });
    }

    private void refuse(String why) {
        refused++;
        if (firstRefusal.isEmpty()) {
            firstRefusal = Optional.of(why);
        }
    }
}
