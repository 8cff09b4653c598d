package io.infergate.loadgen.attack;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class AttackerTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void idleConnectionsAreHeldFromTheSeparateSourceAddressAndSendNothing() {
        AtomicInteger connections = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        Set<String> clients = ConcurrentHashMap.newKeySet();
        NetServer server = vertx.createNetServer().connectHandler(socket -> {
            connections.incrementAndGet();
            clients.add(socket.remoteAddress().host());
            socket.handler(data -> bytes.addAndGet(data.length()));
        }).listen(0, "127.0.0.1").await();

        try (Attacker attacker = new Attacker(URI.create("http://127.0.0.1:" + server.actualPort()), Attacker.sourceAddress())) {
            IdleConnections idle = attacker.idleConnections(50);
            awaitTrue(() -> connections.get() == 50);
            AttackReport report = idle.stop();

            assertThat(report.heldAtEnd()).isEqualTo(50);
            assertThat(report.opened()).isEqualTo(50);
            assertThat(report.refused()).isZero();
            assertThat(bytes.get()).isZero();
            assertThat(clients).containsExactly(attacker.source());
        }
    }

    @Test
    void connectionsTheServerClosesAreCountedAndOpenedAgain() {
        AtomicInteger closed = new AtomicInteger();
        NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(data -> {
                    socket.close();
                    closed.incrementAndGet();
                }))
                .listen(0, "127.0.0.1").await();

        try (Attacker attacker = new Attacker(URI.create("http://127.0.0.1:" + server.actualPort()), "127.0.0.1")) {
            SlowHeaders slow = attacker.slowHeaders(5, Duration.ofMillis(50));
            awaitTrue(() -> closed.get() > 5);
            AttackReport report = slow.stop();

            assertThat(report.closedByServer()).isPositive();
            assertThat(report.opened()).isGreaterThan(5);
        }
    }

    @Test
    void rapidResetOpensAndCancelsStreamsTheServerSeesAsRequests() {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
                .requestHandler(request -> requests.incrementAndGet()).listen(0, "127.0.0.1").await();

        try (Attacker attacker = new Attacker(URI.create("http://127.0.0.1:" + server.actualPort()), "127.0.0.1")) {
            RapidReset flood = attacker.rapidReset(2, 1000);
            awaitTrue(() -> requests.get() >= 100);
            AttackReport report = flood.stop();

            assertThat(report.streamsReset()).isGreaterThanOrEqualTo(100);
            assertThat(report.opened()).isEqualTo(2);
            assertThat(report.goaways()).isZero();
            assertThat(report.summary()).startsWith("rapid-reset: held 2 of 2").contains("streams reset");
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
