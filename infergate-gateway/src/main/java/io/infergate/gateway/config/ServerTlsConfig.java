package io.infergate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS on a listener ({@code listen.tls:} or {@code admin.tls:}): a PEM certificate chain and its PEM
 * private key, re-read without a restart when either file changes.
 *
 * <pre>{@code
 * config.listen().tls().ifPresent(tls -> System.out.println("serving " + tls.cert() + " over TLS"));
 * }</pre>
 *
 * @param cert        PEM file holding the server certificate first, then its intermediates
 * @param key         PEM file holding the private key (PKCS#8 or PKCS#1)
 * @param reloadCheck how often the files' modification times are checked ({@code reload_check_ms}); default 5 s
 */
public record ServerTlsConfig(Path cert, Path key, Duration reloadCheck) {

    public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(5);

    public ServerTlsConfig {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reloadCheck, "reloadCheck");
    }
}
