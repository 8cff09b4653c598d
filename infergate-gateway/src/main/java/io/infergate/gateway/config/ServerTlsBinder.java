package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A listener's {@code tls:} ({@code listen.tls}, {@code admin.tls}): certificate, key and how often to re-read them. */
final class ServerTlsBinder {

    private final Converters convert;

    ServerTlsBinder(Converters convert) {
        this.convert = convert;
    }

    Optional<ServerTlsConfig> bind(Node node, String path) {
        return convert.reader().mapping(node, path).flatMap(m -> {
            Optional<Path> cert = m.required("cert", convert.pem(Converters.CERTIFICATE));
            Optional<Path> key = m.required("key", convert.pem(Converters.PRIVATE_KEY));
            Duration reloadCheck = m.optional("reload_check_ms", convert.millis(), ServerTlsConfig.DEFAULT_RELOAD_CHECK);
            m.finish();
            return cert.flatMap(c -> key.map(k -> new ServerTlsConfig(c, k, reloadCheck)));
        });
    }
}
