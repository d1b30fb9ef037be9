package io.livecap.asr.remote;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.UnaryOperator;

/**
 * TLS to a worker reached at one of its name's addresses, checked against the name: the JDK's HTTP client (and its
 * websocket) has no resolver of its own, so a wss:// connection opened at 10.1.2.3 would check the certificate
 * against 10.1.2.3. This context creates each TLS engine for the name the address was resolved from, so the
 * certificate's name is verified as if the name had been dialled; everything else is the wrapped context's.
 */
final class NamedPeerSslContext extends SSLContext {

    /** @param nameOf the name an address (as the client gives it) was resolved from; the address itself if none */
    NamedPeerSslContext(SSLContext base, UnaryOperator<String> nameOf) {
        super(new Spi(base, nameOf), base.getProvider(), base.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext base;
        private final UnaryOperator<String> nameOf;

        Spi(SSLContext base, UnaryOperator<String> nameOf) {
            this.base = base;
            this.nameOf = nameOf;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return base.createSSLEngine(host == null ? null : nameOf.apply(host), port);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return base.createSSLEngine();
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            base.init(keys, trust, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return base.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return base.getServerSocketFactory();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return base.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return base.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return base.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return base.getSupportedSSLParameters();
        }
    }
}
