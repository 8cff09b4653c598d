package io.infergate.gateway.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain and its private key as read from two PEM files at one moment, with what tells
 * whether the files changed since ({@link Stamp}) and what to log about the certificate.
 *
 * <pre>{@code
 * PemKeyPair pair = PemKeyPair.read(Path.of("tls/cert.pem"), Path.of("tls/key.pem"));
 * serverOptions.setKeyCertOptions(pair.options());
 * }</pre>
 *
 * @param stamp   modification times and sizes of both files when they were read
 * @param cert    the certificate chain, PEM
 * @param key     the private key, PEM
 * @param summary subject and expiry of the first certificate, for logs
 */
record PemKeyPair(Stamp stamp, Buffer cert, Buffer key, String summary) {

    /** Modification times and sizes of the two files: a change in any means they must be read again. */
    record Stamp(FileTime certModified, long certSize, FileTime keyModified, long keySize) {

        static Stamp of(Path cert, Path key) throws IOException {
            return new Stamp(Files.getLastModifiedTime(cert), Files.size(cert), Files.getLastModifiedTime(key),
                    Files.size(key));
        }
    }

    static PemKeyPair read(Path certFile, Path keyFile) {
        try {
            Stamp stamp = Stamp.of(certFile, keyFile);
            byte[] cert = Files.readAllBytes(certFile);
            byte[] key = Files.readAllBytes(keyFile);
            return new PemKeyPair(stamp, Buffer.buffer(cert), Buffer.buffer(key), summarise(cert, certFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS files " + certFile + " and " + keyFile + ": " + e, e);
        }
    }

    PemKeyCertOptions options() {
        return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }

    private static String summarise(byte[] pem, Path file) {
        try {
            List<? extends java.security.cert.Certificate> chain =
                    List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)));
            if (chain.isEmpty() || !(chain.getFirst() instanceof X509Certificate first)) {
                throw new IllegalArgumentException("no X.509 certificate in " + file);
            }
            return "'" + first.getSubjectX500Principal().getName() + "', valid until " + first.getNotAfter().toInstant()
                    + ", chain of " + chain.size();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot parse the certificate chain in " + file + ": " + e.getMessage(), e);
        }
    }
}
