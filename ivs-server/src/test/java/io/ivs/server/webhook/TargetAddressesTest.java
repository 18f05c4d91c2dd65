package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

/** Which addresses webhooks refuse: every internal range, in IPv4 and IPv6 and mixed forms. */
class TargetAddressesTest {
    private static InetAddress literal(String text) {
        return InetAddress.ofLiteral(text);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                 | unspecified ('this network')
            0.255.255.255           | unspecified ('this network')
            10.0.0.1                | private
            10.255.255.255          | private
            100.64.0.1              | carrier-grade NAT
            100.127.255.255         | carrier-grade NAT
            100.100.100.200         | carrier-grade NAT
            127.0.0.1               | loopback
            127.255.255.254         | loopback
            169.254.169.254         | link-local
            169.254.0.1             | link-local
            172.16.0.1              | private
            172.31.255.255          | private
            192.0.0.170             | IETF protocol assignment
            192.0.2.2               | documentation
            192.88.99.1             | 6to4 relay
            192.168.1.1             | private
            198.18.0.1              | benchmarking
            198.19.255.255          | benchmarking
            198.51.100.7            | documentation
            203.0.113.9             | documentation
            224.0.0.1               | multicast
            239.255.255.250         | multicast
            240.0.0.1               | reserved or broadcast
            255.255.255.255         | reserved or broadcast
            ::                      | unspecified
            ::1                     | loopback
            ::7f00:1                | IPv4-compatible (deprecated)
            ::808:808               | IPv4-compatible (deprecated)
            64:ff9b:1::1            | local-use NAT64
            100::1                  | discard-only
            2001::1                 | IETF protocol assignment (Teredo, benchmarking, ...)
            2001:2::1               | IETF protocol assignment (Teredo, benchmarking, ...)
            2001:db8::1             | documentation
            3fff::1                 | documentation
            fc00::1                 | unique-local
            fd00:ec2::254           | unique-local
            fe80::1                 | link-local
            febf:ffff::1            | link-local
            fec0::1                 | site-local (deprecated)
            ff02::1                 | multicast
            ff0e::1                 | multicast
            4000::1                 | reserved
            ::ffff:0:1              | unspecified ('this network')
            """)
    void internalKind_ofAnInternalAddress_namesItsRange(String address, String kind) {
        assertThat(TargetAddresses.internalKind(literal(address))).isEqualTo(kind);
    }

    /** IPv6 forms that carry an IPv4 address are judged by that address. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:169.254.169.254  | link-local
            ::ffff:7f00:1           | loopback
            ::ffff:10.1.2.3         | private
            64:ff9b::a9fe:a9fe      | link-local, carried in IPv6
            64:ff9b::127.0.0.1      | loopback, carried in IPv6
            64:ff9b::192.168.0.1    | private, carried in IPv6
            2002:a9fe:a9fe::1       | link-local, carried in IPv6
            2002:7f00:1::           | loopback, carried in IPv6
            2002:0a00:0001:1::1     | private, carried in IPv6
            """)
    void internalKind_ofAnIpv4CarriedInIpv6_isThatOfTheIpv4(String address, String kind) {
        assertThat(TargetAddresses.internalKind(literal(address))).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "93.184.215.14",
                "100.63.255.255",
                "100.128.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "169.253.255.255",
                "192.0.1.255",
                "198.17.255.255",
                "223.255.255.255",
                "11.0.0.1",
                "2606:4700::1111",
                "2a00:1450:4001::200e",
                "2001:200::1",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808",
                "2002:808:808::1"
            })
    void internalKind_ofAGloballyReachableAddress_isNull(String address) {
        assertThat(TargetAddresses.internalKind(literal(address))).isNull();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.2.0/24             | 10.1.2.255        | true
            10.1.2.0/24             | 10.1.3.0          | false
            10.1.2.3                | 10.1.2.3          | true
            10.1.2.3                | 10.1.2.4          | false
            0.0.0.0/0               | 8.8.8.8           | true
            0.0.0.0/0               | ::1               | false
            100.64.0.0/10           | 100.127.0.1       | true
            100.64.0.0/10           | 100.128.0.1       | false
            fd00::/8                | fd12::1           | true
            fd00::/8                | fc12::1           | false
            [::1]                   | ::1               | true
            ::ffff:10.0.0.0/104     | 10.9.9.9          | true
            ::ffff:10.0.0.0/104     | 11.0.0.0          | false
            """)
    void network_contains_comparesTheFixedBits(String network, String address, boolean inside) {
        byte[] bytes = TargetAddresses.normalized(literal(address).getAddress());
        assertThat(TargetAddresses.Network.parse(network).contains(bytes)).isEqualTo(inside);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "intranet/8"})
    void network_parse_refusesWhatIsNoNetwork(String text) {
        assertThatThrownBy(() -> TargetAddresses.Network.parse(text))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
