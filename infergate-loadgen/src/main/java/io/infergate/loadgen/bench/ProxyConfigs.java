package io.infergate.loadgen.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The configuration files the bench writes for each proxy, tuned alike and fairly: one worker or thread
 * (pinned to one core), HTTP/1.1 keep-alive to the upstreams, no buffering of streamed answers, long
 * timeouts, no access log. With a {@link BenchCertificate}, each serves TLS on its data port with HTTP/2
 * and HTTP/1.1 through ALPN, each left at its own defaults for HTTP/2.
 *
 * <pre>{@code
 * String conf = ProxyConfigs.nginx(dir, 18080, fleet.members(), true, 20_000, Optional.empty(), Optional.empty());
 * }</pre>
 */
public final class ProxyConfigs {

    /** Idle keep-alive connections each proxy keeps to the upstreams. */
    static final int UPSTREAM_KEEPALIVE = 1024;

    private ProxyConfigs() {
    }

    /**
     * nginx with one worker, round robin or {@code least_conn}.
     *
     * @param prefix         nginx's prefix directory ({@code -p}): pid, temp files and error log go there
     * @param maxConnections client connections to allow; as many upstream connections come on top
     * @param failover       retries and health checks; without, none (no server is ever marked failed)
     * @param tls            the certificate to serve TLS with; without, cleartext HTTP/1.1
     */
    public static String nginx(Path prefix, int port, List<FleetMember> fleet, boolean leastConn, int maxConnections,
                               Optional<Failover> failover, Optional<BenchCertificate> tls) {
        int connections = 2 * maxConnections + UPSTREAM_KEEPALIVE + OpenFileLimit.RESERVED / 2;
        StringBuilder upstreams = new StringBuilder();
        for (FleetMember m : fleet) {
            upstreams.append("    server ").append(m.url().getHost()).append(':').append(m.url().getPort())
                    .append(failover.isPresent() ? ";  # " : " max_fails=0;  # ").append(m.id()).append('\n');
        }
        String dir = prefix.toAbsolutePath().toString();
        return "# Written by infergate bench: nginx " + (leastConn ? "least_conn" : "round robin")
                + " in front of the fleet.\n"
                + (isRoot() ? "user root;\n" : "")
                + "worker_processes 1;\n"
                + "worker_rlimit_nofile " + Math.min(OpenFileLimit.hard(), connections + OpenFileLimit.RESERVED / 2) + ";\n"
                + "pid " + dir + "/nginx.pid;\n"
                + "error_log " + dir + "/error.log warn;\n"
                + "events {\n    worker_connections " + connections + ";\n    multi_accept on;\n}\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    client_body_temp_path " + dir + "/tmp/body;\n"
                + "    proxy_temp_path " + dir + "/tmp/proxy;\n"
                + "    fastcgi_temp_path " + dir + "/tmp/fastcgi;\n"
                + "    uwsgi_temp_path " + dir + "/tmp/uwsgi;\n"
                + "    scgi_temp_path " + dir + "/tmp/scgi;\n"
                + "    keepalive_requests 1000000;\n"
                + "    keepalive_timeout 75s;\n"
                + "    upstream fleet {\n"
                + (leastConn ? "        least_conn;\n" : "")
                + upstreams.toString().replace("    server", "        server")
                + "        keepalive " + UPSTREAM_KEEPALIVE + ";\n"
                + "        keepalive_requests 1000000;\n"
                + "        keepalive_timeout 60s;\n"
                + "    }\n"
                + "    server {\n"
                // "listen ... http2" rather than "http2 on;": nginx before 1.25.1 knows only this form
                + "        listen 127.0.0.1:" + port + tls.map(t -> " ssl http2").orElse("") + " backlog=4096;\n"
                + tls.map(t -> "        ssl_certificate " + t.cert().toAbsolutePath() + ";\n"
                        + "        ssl_certificate_key " + t.key().toAbsolutePath() + ";\n").orElse("")
                + "        location / {\n"
                + "            proxy_pass http://fleet;\n"
                + "            proxy_http_version 1.1;\n"
                + "            proxy_set_header Connection \"\";\n"
                + "            proxy_buffering off;\n"
                + "            proxy_request_buffering off;\n"
                + "            proxy_connect_timeout 5s;\n"
                + failover.map(f -> "            proxy_read_timeout " + f.perTryTimeout().toMillis() + "ms;\n"
                        + "            proxy_next_upstream error timeout http_500 http_502 http_503;\n"
                        + "            proxy_next_upstream_tries " + f.maxAttempts() + ";\n")
                        .orElse("            proxy_read_timeout 600s;\n")
                + "            proxy_send_timeout 600s;\n"
                + "        }\n"
                + "    }\n"
                + "}\n";
    }

    /**
     * HAProxy with one thread, {@code roundrobin} or {@code leastconn}.
     *
     * @param maxConnections client connections to allow; HAProxy reserves a second descriptor for each
     * @param failover       retries and active health checks of {@code healthPath}; without, none
     * @param tls            the certificate to serve TLS with; without, cleartext HTTP/1.1
     */
    public static String haproxy(int port, List<FleetMember> fleet, boolean leastConn, int maxConnections,
                                 Optional<Failover> failover, String healthPath, Optional<BenchCertificate> tls) {
        StringBuilder servers = new StringBuilder();
        for (FleetMember m : fleet) {
            servers.append("    server ").append(m.id()).append(' ').append(m.url().getHost()).append(':')
                    .append(m.url().getPort()).append(failover.isPresent() ? " check" : "").append('\n');
        }
        return "# Written by infergate bench: HAProxy " + (leastConn ? "leastconn" : "roundrobin")
                + " in front of the fleet.\n"
                + "global\n"
                + "    maxconn " + maxConnections + "\n"
                + "    nbthread 1\n"
                + "defaults\n"
                + "    mode http\n"
                + "    maxconn " + maxConnections + "\n"
                + "    timeout connect 5s\n"
                + "    timeout client 600s\n"
                + failover.map(f -> "    timeout server " + f.perTryTimeout().toMillis() + "ms\n"
                        + "    retries " + (f.maxAttempts() - 1) + "\n"
                        + "    option redispatch 1\n"
                        + "    retry-on all-retryable-errors\n"
                        + "    option httpchk GET " + healthPath + "\n"
                        + "    default-server inter " + f.probeInterval().toMillis() + "ms fall 2 rise 2\n")
                        .orElse("    timeout server 600s\n")
                + "    timeout http-keep-alive 60s\n"
                + "    option http-keep-alive\n"
                + "    option http-no-delay\n"
                + "    http-reuse always\n"
                + "frontend bench\n"
                + "    bind 127.0.0.1:" + port
                + tls.map(t -> " ssl crt " + t.combined().toAbsolutePath() + " alpn h2,http/1.1").orElse("") + "\n"
                + "    default_backend fleet\n"
                + "backend fleet\n"
                + "    balance " + (leastConn ? "leastconn" : "roundrobin") + "\n"
                + servers;
    }

    /**
     * infergate's config: the fleet as one vLLM pool, {@code routing} as its {@code routing:} section (none
     * when it is the gateway's default), scraping every 200 ms, {@code flow} as its {@code flow_control:} section (none when it
     * is the default), and {@code failover} as its {@code retry:} and {@code health:} sections (the
     * gateway's defaults without, as {@code infergate} has them in every scenario); with {@code tls}, its data
     * port serves TLS.
     */
    public static String infergate(int port, int adminPort, List<FleetMember> fleet, String model, GatewayFlow flow,
                                   GatewayRouting routing, Optional<Failover> failover, Optional<BenchCertificate> tls) {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by infergate bench: the gateway in front of the fleet.\n")
                .append("listen: {host: 127.0.0.1, port: ").append(port).append(", admin_port: ").append(adminPort)
                .append(tls.map(t -> ", tls: {cert: \"" + t.cert().toAbsolutePath() + "\", key: \"" + t.key().toAbsolutePath()
                        + "\"}").orElse("")).append("}\n")
                .append("scrape: {interval_ms: 200}\n")
                .append(routing.yaml())
                .append("pools:\n")
                .append("  - name: bench\n")
                .append("    type: vllm\n")
                .append("    models: [").append(model).append("]\n")
                .append("    endpoints:\n");
        for (FleetMember m : fleet) {
            yaml.append(String.format(Locale.ROOT, "      - {url: \"%s\", id: \"%s\", region: %s, price_per_hour: %.2f}%n",
                    m.url(), m.id(), m.region(), m.pricePerHour()));
        }
        failover.ifPresent(f -> yaml.append(String.format(Locale.ROOT,
                "retry: {max_attempts: %d, per_try_timeout_ms: %d}%nhealth: {probe_interval_ms: %d, probe_timeout_ms: %d}%n",
                f.maxAttempts(), f.perTryTimeout().toMillis(), f.probeInterval().toMillis(), f.probeInterval().toMillis())));
        if (!flow.equals(GatewayFlow.DEFAULT)) {
            yaml.append(String.format(Locale.ROOT, "flow_control:%n  enabled: %s%n", flow.enabled()));
            flow.reservedForCritical().ifPresent(share ->
                    yaml.append(String.format(Locale.ROOT, "  reserved_for_critical: %s%n", share)));
            if (flow.maxRequestsPerEndpoint() > 0) {
                yaml.append(String.format(Locale.ROOT, "  saturation: {max_requests_per_endpoint: %d}%n",
                        flow.maxRequestsPerEndpoint()));
            }
        }
        return yaml.toString();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
