package io.infergate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway talks TLS to {@code https://} endpoints ({@code backend_tls:}): which certificate
 * authorities it trusts, and the client certificate it presents when the endpoints ask for one (mTLS).
 *
 * <pre>{@code
 * config.backendTls().clientCert().ifPresent(pair -> System.out.println("mTLS with " + pair.cert()));
 * }</pre>
 *
 * @param clientCert the gateway's client certificate chain and key ({@code cert} and {@code key}, both or
 *                   neither); empty means no client certificate
 * @param trustedCa  PEM file of the certificate authorities endpoints' certificates must chain to
 *                   ({@code ca}); empty means the JDK's default trust store
 */
public record BackendTlsConfig(Optional<ClientCertificate> clientCert, Optional<Path> trustedCa) {

    /** No client certificate, the JDK's trust store: what an {@code https://} endpoint gets by default. */
    public static final BackendTlsConfig DEFAULT = new BackendTlsConfig(Optional.empty(), Optional.empty());

    public BackendTlsConfig {
        Objects.requireNonNull(clientCert, "clientCert");
        Objects.requireNonNull(trustedCa, "trustedCa");
    }

    /**
     * A PEM certificate chain and its PEM private key.
     *
     * @param cert PEM file: the certificate first, then its intermediates
     * @param key  PEM file: the private key
     */
    public record ClientCertificate(Path cert, Path key) {
        public ClientCertificate {
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
    }
}
