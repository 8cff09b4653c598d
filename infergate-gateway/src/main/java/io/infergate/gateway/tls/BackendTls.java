package io.infergate.gateway.tls;

import io.infergate.gateway.config.BackendTlsConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS towards {@code https://} endpoints. Plain {@code http://} endpoints are unaffected: a request goes
 * over TLS because its URL says so. Host names are verified against the endpoint's certificate.
 *
 * <pre>{@code
 * HttpClient client = vertx.createHttpClient(BackendTls.apply(config.backendTls(), new HttpClientOptions()));
 * }</pre>
 */
public final class BackendTls {

    private BackendTls() {
    }

    /** {@code options} trusting {@code config}'s authorities and presenting its client certificate, if any. */
    public static HttpClientOptions apply(BackendTlsConfig config, HttpClientOptions options) {
        options.setVerifyHost(true);
        config.trustedCa().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        config.clientCert().ifPresent(pair -> options.setKeyCertOptions(
                new PemKeyCertOptions().setCertPath(pair.cert().toString()).setKeyPath(pair.key().toString())));
        return options;
    }
}
