package io.livecap.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/**
 * Which servers a wss/https client trusts: the system's CAs, or only those in a PEM file (a private CA, a
 * self-signed test certificate). Host names are still checked against the certificate.
 */
public final class ClientTls {

    private ClientTls() {
    }

    /** The JVM's default trust (the system CAs). */
    public static SSLContext system() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    /** Trusts exactly the certificates in {@code caPem} (one or more PEM certificates). */
    public static SSLContext trusting(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IOException("no PEM certificate in " + caPem);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read CA certificates from " + caPem + ": " + e.getMessage(), e);
        }
    }

    /** {@link #trusting} for a file given, else the system's trust. */
    public static SSLContext trustingOrSystem(Path caPem) throws IOException {
        return caPem == null ? system() : trusting(caPem);
    }
}
