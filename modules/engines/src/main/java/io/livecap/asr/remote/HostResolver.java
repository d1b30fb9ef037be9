package io.livecap.asr.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns an endpoint's host name into its addresses, asked again at every probe: a Kubernetes headless Service's name
 * resolves to one address per ready pod, and that set changes as pods come and go. A seam so a test can change the
 * answer; the system's resolver otherwise.
 */
@FunctionalInterface
interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
