package io.infergate.gateway;

import com.sun.net.httpserver.HttpServer;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.gateway.config.LimitsConfig;
import io.infergate.gateway.hardening.AcceptGate;
import io.infergate.gateway.hardening.ConnectGuard;
import io.infergate.gateway.hardening.GatedTransport;
import io.infergate.gateway.security.AllowedEndpoint;
import io.infergate.gateway.security.EndpointAddressPolicies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS rebinding, over real sockets: an endpoint's name resolves (through a hosts file the resolver re-reads)
 * first to the loopback, where an endpoint answers, then to an address its pool may not reach. The
 * gateway's Vert.x instance, built with its {@link GatedTransport}, connects the first time and refuses the
 * second connect before any packet leaves, whatever client makes it (the proxy's, the scraper's and the
 * prober's are all such clients), and counts the refusal.
 */
class DnsRebindingTest {

    private static final String POOL = "p";
    private static final String[] NAMES = {"v4-metadata.rebind.test", "v4-outside.rebind.test",
            "v6-metadata.rebind.test", "v6-outside.rebind.test"};

    @TempDir
    static Path dir;
    private static Path hosts;
    private static HttpServer endpoint;
    private static final AtomicInteger served = new AtomicInteger();
    private static final List<Endpoint> fleet = new CopyOnWriteArrayList<>();
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static Vertx vertx;

    @BeforeAll
    static void start() throws IOException {
        // the wildcard address: the loopback in IPv4 and in IPv6
        endpoint = HttpServer.create(new InetSocketAddress(0), 0);
        endpoint.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        hosts = dir.resolve("hosts");
        Files.writeString(hosts, "");
        vertx = Vertx.builder()
                .with(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
                        .setHostsPath(hosts.toString()).setHostsRefreshPeriod(1)
                        .setHostsRefreshPeriodUnit(TimeUnit.MILLISECONDS)))
                .withTransport(GatedTransport.preferNative(new AcceptGate(LimitsConfig.DEFAULT)))
                .build();
        for (String name : NAMES) {
            fleet.add(Endpoint.builder(name, URI.create("http://" + name + ":" + port())).pool(POOL).build());
        }
        ConnectGuard.of(vertx).orElseThrow().enforce(new EndpointAddressPolicies(() -> FleetSnapshot.of(fleet),
                Map.of(POOL, List.of(AllowedEndpoint.parse("127.0.0.0/8"), AllowedEndpoint.parse("::1/128")))),
                registry);
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        endpoint.stop(0);
    }

    @ParameterizedTest(name = "{0}: {1}, then {2}")
    @CsvSource({
            "v4-metadata.rebind.test, 127.0.0.1, 169.254.169.254, link_local, link-local",
            "v4-outside.rebind.test, 127.0.0.1, 10.1.2.3, not_allowed, not in the pool's allowed_endpoints",
            "v6-metadata.rebind.test, ::1, fd00:ec2::254, metadata, the AWS metadata service over IPv6",
            "v6-outside.rebind.test, ::1, 2001:db8::7, not_allowed, not in the pool's allowed_endpoints"})
    void aNameThatResolvesElsewhereLaterIsRefusedAtConnect(String name, String first, String later, String reason,
                                                          String why) throws IOException {
        resolve(name, first);
        assertThat(get(name)).isEqualTo(200);
        int servedBefore = served.get();

        resolve(name, later);
        assertThatThrownBy(() -> get(name))
                .isInstanceOf(ConnectGuard.Refused.class)
                .hasMessageContaining("refused to connect to endpoint '" + name + "' at " + later)
                .hasMessageContaining(why);
        assertThat(served.get()).isEqualTo(servedBefore);
        Counter refused = registry.find("infergate.endpoint.connects.refused")
                .tags("endpoint", name, "reason", reason).counter();
        assertThat(refused).isNotNull();
        assertThat(refused.count()).isEqualTo(1);
    }

    private static synchronized void resolve(String name, String address) throws IOException {
        String others = Files.readAllLines(hosts).stream().filter(line -> !line.endsWith(" " + name))
                .map(line -> line + "\n").reduce("", String::concat);
        Files.writeString(hosts, others + address + " " + name + "\n");
    }

    /** The status of a GET to {@code name}, from a new client: each resolves the name afresh. */
    private static int get(String name) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000));
        try {
            return client.request(HttpMethod.GET, port(), name, "/")
                    .compose(request -> request.send())
                    .map(response -> response.statusCode())
                    .await();
        } finally {
            client.close().await();
        }
    }

    private static int port() {
        return endpoint.getAddress().getPort();
    }
}
