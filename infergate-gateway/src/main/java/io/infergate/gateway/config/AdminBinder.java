package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Optional;

/** The {@code admin:} section: the admin listener's TLS, token and which routes are open without it. */
final class AdminBinder {

    private static final int MIN_TOKEN_LENGTH = 16;

    private final NodeReader reader;
    private final ServerTlsBinder tls;

    AdminBinder(Converters convert, ServerTlsBinder tls) {
        this.reader = convert.reader();
        this.tls = tls;
    }

    Optional<AdminConfig> bind(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            AdminConfig defaults = AdminConfig.DEFAULT;
            Optional<ServerTlsConfig> serverTls = m.optional("tls", tls::bind);
            Optional<Secret> token = m.optional("token", this::token);
            boolean healthOpen = m.optional("health_open", reader::bool, defaults.healthOpen());
            boolean metricsOpen = m.optional("metrics_open", reader::bool, defaults.metricsOpen());
            boolean allowRemote = m.optional("allow_remote_without_token", reader::bool,
                    defaults.allowRemoteWithoutToken());
            m.finish();
            return new AdminConfig(serverTls, token, healthOpen, metricsOpen, allowRemote);
        });
    }

    /** A bearer token: long enough not to be guessed; errors give its length, never its value. */
    private Optional<Secret> token(Node node, String path) {
        return reader.nonBlank(node, path).filter(token -> {
            boolean plain = token.codePoints().allMatch(c -> c > ' ' && c < 0x7f);
            if (!plain) {
                reader.problems().add(node, path, "expected a token of printable ASCII without spaces, found other "
                        + "characters");
            } else if (token.length() < MIN_TOKEN_LENGTH) {
                reader.problems().add(node, path, "expected a token of at least " + MIN_TOKEN_LENGTH
                        + " characters, found one of " + token.length());
            }
            return plain && token.length() >= MIN_TOKEN_LENGTH;
        }).map(Secret::of);
    }
}
