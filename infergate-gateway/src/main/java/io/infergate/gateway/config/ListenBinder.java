package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Optional;

/**
 * The {@code listen:} section: the data and admin listeners' addresses. Reads after {@code admin:}, whose
 * token decides whether the admin listener may leave the loopback address.
 */
final class ListenBinder {

    private static final int MAX_PORT = 65_535;

    private final Converters convert;
    private final NodeReader reader;
    private final ServerTlsBinder tls;

    ListenBinder(Converters convert, ServerTlsBinder tls) {
        this.convert = convert;
        this.reader = convert.reader();
        this.tls = tls;
    }

    /** The section's value when the file has none. */
    static ListenConfig absent(AdminConfig admin) {
        return ListenConfig.DEFAULT.withAdminHost(defaultAdminHost(ListenConfig.DEFAULT.host(), admin));
    }

    Optional<ListenConfig> bind(Node node, String path, AdminConfig admin) {
        return reader.mapping(node, path).map(m -> {
            ListenConfig defaults = ListenConfig.DEFAULT;
            String host = m.optional("host", reader::nonBlank, defaults.host());
            int port = m.optional("port", convert.intIn(0, MAX_PORT), defaults.port());
            Optional<String> explicitAdminHost = m.optional("admin_host", reader::nonBlank);
            String adminHost = explicitAdminHost.orElse(defaultAdminHost(host, admin));
            if (explicitAdminHost.isPresent() && !admin.remoteAccessAllowed() && !ListenConfig.isLoopback(adminHost)) {
                reader.problems().add(m.at("admin_host"), m.path("admin_host"), "expected a loopback address "
                        + "(127.0.0.1, ::1 or localhost) while admin.token is not set, found '" + adminHost + "': anyone "
                        + "reaching it could add endpoints and mint API keys; set admin.token, or "
                        + "admin.allow_remote_without_token: true to open it without one");
            }
            int adminPort = m.optional("admin_port", convert.intIn(0, MAX_PORT), defaults.adminPort());
            if (port != 0 && port == adminPort) {
                reader.problems().add(m.at("admin_port"), m.path("admin_port"),
                        "expected a port other than listen.port, found " + adminPort + " for both");
            }
            Optional<ServerTlsConfig> serverTls = m.optional("tls", tls::bind);
            m.finish();
            return new ListenConfig(host, port, adminHost, adminPort, serverTls);
        });
    }

    /** Without a token (or the explicit opt-out) the admin listener is reachable from this machine only. */
    private static String defaultAdminHost(String host, AdminConfig admin) {
        return admin.remoteAccessAllowed() ? host : ListenConfig.LOOPBACK;
    }
}
