package io.livecap.ingest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS trust of Java-side pull connections (HLS playlist checks, wss), the same as ffmpeg's
 * ({@code -tls_verify}, {@code -ca_file}): the system's CAs, or only those of {@code tls_ca_file}; or, with
 * verification off, anything.
 */
final class TlsTrust {

    private TlsTrust() {
    }

    static SSLContext context(PullSettings settings) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (!settings.tlsVerify()) {
                context.init(null, new TrustManager[]{new AnyCertificate()}, null);
            } else if (settings.tlsCaFile() != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(settings.tlsCaFile())) {
                    int i = 0;
                    for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca" + i++, ca);
                    }
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                context.init(null, trust.getTrustManagers(), null);
            } else {
                return SSLContext.getDefault();
            }
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use tls_ca_file " + settings.tlsCaFile() + ": " + e.getMessage(), e);
        }
    }

    /** ffmpeg's default ({@code -tls_verify 0}), kept only for an operator who turns verification off. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return List.<X509Certificate>of().toArray(new X509Certificate[0]);
        }
    }
}
