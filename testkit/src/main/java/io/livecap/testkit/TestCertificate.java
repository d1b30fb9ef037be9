package io.livecap.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate for {@code localhost} made at test time with the openssl CLI: self-signed, so the certificate is
 * its own CA (the PEM that {@code ingest.tls_ca_file} trusts), and a PKCS#12 copy for the JDK's HTTPS server.
 */
public record TestCertificate(Path certPem, Path keyPem, Path pkcs12) {

    public static final String PASSWORD = "changeit";

    public static TestCertificate forLocalhost(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("localhost-cert.pem");
        Path key = dir.resolve("localhost-key.pem");
        Path p12 = dir.resolve("localhost.p12");
        run(List.of(RtmpServer.OPENSSL.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE"));
        run(List.of(RtmpServer.OPENSSL.toString(), "pkcs12", "-export", "-in", cert.toString(), "-inkey",
                key.toString(), "-out", p12.toString(), "-passout", "pass:" + PASSWORD));
        return new TestCertificate(cert, key, p12);
    }

    /** A server-side TLS context presenting this certificate. */
    javax.net.ssl.SSLContext serverContext() throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(pkcs12)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(factory.getKeyManagers(), null, null);
        return tls;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IOException("openssl failed: " + command + ": " + out);
        }
    }
}
