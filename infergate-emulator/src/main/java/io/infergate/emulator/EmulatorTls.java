package io.infergate.emulator;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on an emulated server, for testing a gateway's TLS towards its endpoints: PEM certificate chain
 * and key, and optionally the authorities whose client certificates it requires (mTLS).
 *
 * <pre>{@code
 * EmulatorOptions.builder().tls(new EmulatorTls(cert, key, Optional.of(clientCa))).build();
 * }</pre>
 *
 * @param cert     PEM certificate chain of the server
 * @param key      PEM private key of the server
 * @param clientCa PEM authorities a client certificate must chain to; when present, a client without
 *                 one is refused during the handshake
 */
public record EmulatorTls(Path cert, Path key, Optional<Path> clientCa) {

    public EmulatorTls {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientCa, "clientCa");
    }

    /** {@code options} serving this certificate, and requiring client certificates when a CA is set. */
    HttpServerOptions apply(HttpServerOptions options) {
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
                .setKeyPath(key.toString()));
        clientCa.ifPresent(ca -> options.setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        return options;
    }
}
