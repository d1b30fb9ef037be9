package io.livecap.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses a pull may connect to. Pulls take URLs from API callers and from REACH, so without this a pull is
 * a way to make the server fetch its own {@code /metrics}, an internal admin page or a cloud metadata endpoint. By
 * default only public unicast addresses pass: loopback, private (RFC 1918), CGNAT, IPv6 unique-local, link-local,
 * unspecified, multicast, reserved and the cloud metadata addresses are refused, unless
 * {@code ingest.allowed_networks} lists them (labs, tests).
 *
 * <p>The check is on addresses, after DNS: every address a name resolves to must pass, and the caller connects to
 * one of the checked addresses, never to the name again (so a rebinding DNS server cannot answer differently the
 * second time). The same check runs on every HTTP redirect and every HLS playlist and segment ({@link SafeHttp}).
 */
public final class PullNetworks {

    /** What production gets: public addresses only. */
    public static final PullNetworks PUBLIC_ONLY = new PullNetworks(List.of());
    /** The setting's name, quoted in refusals so an operator knows what to change. */
    public static final String SETTING = "ingest.allowed_networks";

    private record Range(byte[] base, int prefix, int port, String what) {

        boolean contains(InetAddress address, int atPort) {
            byte[] bytes = address.getAddress();
            if (bytes.length != base.length || (port > 0 && port != atPort)) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (base[full] & mask);
        }

        @Override
        public String toString() {
            return what;
        }
    }

    /** Checked in order: the first that matches names the refusal. */
    private static final List<Range> FORBIDDEN = List.of(
            range("169.254.169.254/32", "a cloud metadata address"),
            range("fd00:ec2::254/128", "a cloud metadata address"),
            range("100.100.100.200/32", "a cloud metadata address"),
            range("127.0.0.0/8", "a loopback address"),
            range("::1/128", "a loopback address"),
            range("0.0.0.0/8", "an unspecified address"),
            range("::/128", "an unspecified address"),
            range("10.0.0.0/8", "a private address"),
            range("172.16.0.0/12", "a private address"),
            range("192.168.0.0/16", "a private address"),
            range("100.64.0.0/10", "a carrier-grade NAT address"),
            range("fc00::/7", "a unique-local (private) address"),
            range("169.254.0.0/16", "a link-local address"),
            range("fe80::/10", "a link-local address"),
            range("224.0.0.0/4", "a multicast address"),
            range("ff00::/8", "a multicast address"),
            range("240.0.0.0/4", "a reserved address"),
            range("192.0.0.0/24", "a reserved address"),
            range("198.18.0.0/15", "a reserved address"));

    private final List<Range> allowed;

    private PullNetworks(List<Range> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /**
     * From the setting: a comma- or space-separated list of {@code CIDR}, {@code CIDR:PORT} (IPv4) or
     * {@code [CIDR]:PORT} (IPv6); a bare address is one host. Empty = {@link #PUBLIC_ONLY}.
     */
    public static PullNetworks parse(String list) {
        List<Range> ranges = new ArrayList<>();
        if (list != null) {
            for (String entry : list.strip().split("[,\\s]+")) {
                if (!entry.isEmpty()) {
                    ranges.add(entry(entry));
                }
            }
        }
        return new PullNetworks(ranges);
    }

    /**
     * Resolves {@code host} and checks every address it resolves to; the checked addresses, in the resolver's
     * order: connect only to these.
     *
     * @throws RefusedAddress       when any of them is refused
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> resolve(String host, int port) throws UnknownHostException, RefusedAddress {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        for (InetAddress address : addresses) {
            String why = refusal(address, port);
            if (why != null) {
                String shown = bare.equalsIgnoreCase(address.getHostAddress()) ? bare
                        : bare + " (" + address.getHostAddress() + ")";
                throw new RefusedAddress("refused: " + shown + (port > 0 ? " port " + port : "") + " is " + why
                        + "; pulls reach only public addresses unless " + SETTING + " lists it");
            }
        }
        return List.of(addresses);
    }

    /** Why {@code address} is refused, or null when a pull may connect to it. */
    String refusal(InetAddress address, int port) {
        InetAddress effective = embeddedIpv4(address);
        for (Range range : allowed) {
            if (range.contains(address, port) || range.contains(effective, port)) {
                return null;
            }
        }
        for (Range range : FORBIDDEN) {
            if (range.contains(effective, port) || range.contains(address, port)) {
                return range.what();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return allowed.isEmpty() ? "public addresses only" : "public addresses and " + allowed.size() + " allowed";
    }

    /** An IPv4 address carried inside an IPv6 one (NAT64 64:ff9b::/96, 6to4 2002::/16, IPv4-compatible ::/96). */
    private static InetAddress embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return address;
        }
        int from = -1;
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            from = 2;
        } else if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12)) {
            from = 12;
        } else if (allZero(b, 0, 12) && !allZero(b, 12, 15)) {
            from = 12;
        }
        if (from < 0) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[]{b[from], b[from + 1], b[from + 2], b[from + 3]});
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Range entry(String text) {
        String cidr = text;
        int port = 0;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(SETTING + ": bad entry " + text);
            }
            cidr = text.substring(1, close);
            if (text.length() > close + 1) {
                port = port(text, text.substring(close + 1));
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            cidr = text.substring(0, text.indexOf(':'));
            port = port(text, text.substring(text.indexOf(':')));
        }
        Range range = range(cidr, "allowed by " + SETTING);
        return new Range(range.base(), range.prefix(), port, range.what());
    }

    private static int port(String entry, String tail) {
        try {
            int port = Integer.parseInt(tail.startsWith(":") ? tail.substring(1) : "x");
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SETTING + ": bad port in " + entry
                    + " (use CIDR, CIDR:PORT or [IPv6-CIDR]:PORT)");
        }
    }

    private static Range range(String cidr, String what) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!address.matches("[0-9a-fA-F.:]+")) { // an address literal only: never a name to look up
            throw new IllegalArgumentException(SETTING + ": " + cidr + " is not an IP address or CIDR range");
        }
        byte[] base;
        try {
            base = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(SETTING + ": " + cidr + " is not an IP address or CIDR range");
        }
        int prefix;
        try {
            prefix = slash < 0 ? base.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SETTING + ": bad prefix length in " + cidr);
        }
        if (prefix < 0 || prefix > base.length * 8) {
            throw new IllegalArgumentException(SETTING + ": prefix length out of range in " + cidr);
        }
        return new Range(base, prefix, 0, what);
    }
}
