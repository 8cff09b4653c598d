package io.infergate.loadgen.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, so that every system of a bench
 * serves TLS (and HTTP/2 through ALPN) on its data port. Made with the JDK's own {@code keytool}, so no
 * other tool is needed, and written as PEM files: the certificate, its key (PKCS#8), and both in one file
 * for HAProxy. The key is ECDSA P-256: its handshakes cost a fraction of RSA-2048's, which matters to a
 * JVM whose TLS code is not compiled yet (its first RSA handshake took 6 s on a loaded two-core machine).
 *
 * <pre>{@code
 * BenchCertificate tls = BenchCertificate.create(outDir.resolve("tls"));
 * String nginx = "ssl_certificate " + tls.cert() + ";\nssl_certificate_key " + tls.key() + ";\n";
 * }</pre>
 *
 * @param cert     PEM certificate
 * @param key      PEM private key, unencrypted
 * @param combined the certificate then the key, as HAProxy's {@code crt} wants them
 */
public record BenchCertificate(Path cert, Path key, Path combined) {

    private static final String ALIAS = "bench";
    private static final char[] STORE_PASSWORD = "infergate-bench".toCharArray();

    /** Makes a new P-256 key and certificate, valid for a week, in {@code dir}. */
    public static BenchCertificate create(Path dir) {
        BenchFiles.createDirectories(dir);
        Path store = dir.resolve("bench.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException(keytool + " not found: the bench makes its TLS certificate with the JDK's keytool");
        }
        try {
            Files.deleteIfExists(store);
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", "7", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool could not make the bench certificate; see " + dir.resolve("keytool.log"));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, STORE_PASSWORD);
            }
            Key key = keys.getKey(ALIAS, STORE_PASSWORD);
            Certificate certificate = keys.getCertificate(ALIAS);
            String certPem = pem("CERTIFICATE", certificate.getEncoded());
            String keyPem = pem("PRIVATE KEY", key.getEncoded());
            return new BenchCertificate(BenchFiles.write(dir.resolve("cert.pem"), certPem),
                    BenchFiles.write(dir.resolve("key.pem"), keyPem),
                    BenchFiles.write(dir.resolve("cert-and-key.pem"), certPem + keyPem));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the bench certificate in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the bench certificate", e);
        }
    }

    /**
     * Whether a TLS handshake with the server on loopback {@code port} completes within 5 s, trusting this
     * certificate only: the data port is ready, and the server's TLS code has run once.
     */
    public boolean handshakes(int port) {
        try (InputStream in = Files.newInputStream(cert)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(5000);
                socket.startHandshake();
                return true;
            }
        } catch (IOException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + cert + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return String.join("\n", List.of("-----BEGIN " + type + "-----", body, "-----END " + type + "-----", ""));
    }
}
