package io.livecap.ingest;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses a pull may reach, and how pull URLs are shown. Address literals only: nothing is looked up. */
class PullNetworksTest {

    @Test
    void onlyPublicAddressesPassByDefault() throws Exception {
        PullNetworks networks = PullNetworks.PUBLIC_ONLY;
        for (String refused : List.of("127.0.0.1", "127.9.9.9", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "100.64.0.1", "169.254.169.254", "169.254.1.1", "fd00:ec2::254", "fc00::1", "fe80::1",
                "0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "64:ff9b::7f00:1", "2002:7f00:1::1",
                "::127.0.0.1")) {
            assertTrue(networks.refusal(InetAddress.getByName(refused), 80) != null, refused + " must be refused");
        }
        for (String allowed : List.of("8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "1.1.1.1")) {
            assertNull(networks.refusal(InetAddress.getByName(allowed), 80), allowed + " is public");
        }
        assertEquals("a cloud metadata address", networks.refusal(InetAddress.getByName("169.254.169.254"), 80));
        RefusedAddress e = assertThrows(RefusedAddress.class, () -> networks.resolve("127.0.0.1", 8080));
        assertTrue(e.getMessage().startsWith("refused: 127.0.0.1 port 8080 is a loopback address")
                && e.getMessage().contains(PullNetworks.SETTING), e.getMessage());
    }

    @Test
    void theAllowListTakesRangesAndPorts() throws Exception {
        PullNetworks networks = PullNetworks.parse("10.1.0.0/16, 127.0.0.1/32:8080 [::1]:9000");
        assertNull(networks.refusal(InetAddress.getByName("10.1.2.3"), 1));
        assertTrue(networks.refusal(InetAddress.getByName("10.2.0.1"), 1) != null);
        assertNull(networks.refusal(InetAddress.getByName("127.0.0.1"), 8080));
        assertTrue(networks.refusal(InetAddress.getByName("127.0.0.1"), 8081) != null, "another port");
        assertNull(networks.refusal(InetAddress.getByName("::1"), 9000));
        assertTrue(networks.refusal(InetAddress.getByName("::1"), 80) != null);
        assertThrows(IllegalArgumentException.class, () -> PullNetworks.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> PullNetworks.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> PullNetworks.parse("10.0.0.0/8:0"));
    }

    @Test
    void userinfoAndEveryQueryValueAreRedacted() {
        assertEquals("https://***@host/path?key=***&t=***",
                RedactedUrl.of("https://user:pass@host/path?key=k1&t=2"));
        assertEquals("tried rtmp://host/live and http://***@h:1/a.m3u8?x=*** then gave up",
                RedactedUrl.of("tried rtmp://host/live and http://u:p@h:1/a.m3u8?x=y then gave up"));
        PullSource source = PullSource.of("http://admin:hunter22@h/live.m3u8?token=abcdef", "the-key");
        assertEquals("http://***@h/live.m3u8?token=***&key=***", source.toString());
        assertEquals("server said *** for ***", source.redact("server said the-key for hunter22"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PullSource.of("http://h/a b?key=s3cret", ""));
        assertTrue(!bad.getMessage().contains("s3cret"), bad.getMessage());
    }
}
