package io.livecap.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * The TCP connection and TLS handshake of a wss:// URL, done before the websocket library takes the socket: a
 * certificate the client does not trust then fails here, synchronously, with its SSLException (inside the
 * library it races the connection's close and may surface as "no answer").
 */
final class TlsSocket {

    private TlsSocket() {
    }

    static boolean needed(URI url) {
        return "wss".equalsIgnoreCase(url.getScheme());
    }

    static Socket open(URI url, SSLContext tls, long timeoutMs) throws IOException {
        int port = url.getPort() > 0 ? url.getPort() : 443;
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(new InetSocketAddress(url.getHost(), port), (int) Math.min(timeoutMs, Integer.MAX_VALUE));
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp, url.getHost(), port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name this host
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE));
            socket.startHandshake();
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException e) {
            tcp.close();
            throw e;
        }
    }
}
