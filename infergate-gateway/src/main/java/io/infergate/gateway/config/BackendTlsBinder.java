package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.nio.file.Path;
import java.util.Optional;

/** The {@code backend_tls:} section: trusted CAs and the client certificate towards {@code https://} endpoints. */
final class BackendTlsBinder {

    private final Converters convert;

    BackendTlsBinder(Converters convert) {
        this.convert = convert;
    }

    Optional<BackendTlsConfig> bind(Node node, String path) {
        return convert.reader().mapping(node, path).map(m -> {
            Optional<Path> cert = m.optional("cert", convert.pem(Converters.CERTIFICATE));
            Optional<Path> key = m.optional("key", convert.pem(Converters.PRIVATE_KEY));
            Optional<Path> ca = m.optional("ca", convert.pem(Converters.CERTIFICATE));
            boolean certGiven = m.value("cert").isPresent();
            boolean keyGiven = m.value("key").isPresent();
            if (certGiven != keyGiven) {
                String missing = certGiven ? "key" : "cert";
                String given = certGiven ? "cert" : "key";
                convert.problems().add(m.at(given), m.path(missing),
                        "expected '" + missing + "' with '" + given + "' (a client certificate needs both), found none");
            }
            m.finish();
            Optional<BackendTlsConfig.ClientCertificate> clientCert =
                    cert.flatMap(c -> key.map(k -> new BackendTlsConfig.ClientCertificate(c, k)));
            return new BackendTlsConfig(clientCert, ca);
        });
    }
}
