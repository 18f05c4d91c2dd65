package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target rules with a scripted name service: names, spellings, the allow-list and this
 * machine's addresses. The address ranges themselves are in {@link TargetAddressesTest}.
 */
class WebhookTargetsTest {
    /** This machine's public address in these tests. */
    private static final String OWN = "203.0.114.7";

    private static final Map<String, List<String>> DNS = Map.of(
            "shop.example.com", List.of("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
            "intranet.corp.example", List.of("10.20.30.40"),
            "erp.corp.example", List.of("10.20.30.41"),
            "mixed.example", List.of("93.184.215.14", "127.0.0.1"),
            "mapped.example", List.of("::ffff:169.254.169.254"),
            "self.example", List.of(OWN),
            "metadata.example", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1", "::1"));

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> answer = DNS.get(host);
        if (answer != null) {
            return answer.stream().map(InetAddress::ofLiteral).toArray(InetAddress[]::new);
        }
        try {
            return new InetAddress[] {InetAddress.ofLiteral(host)};
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host);
        }
    }

    private static WebhookTargets targets(String... allowed) {
        return new WebhookTargets(
                List.of(allowed),
                WebhookTargetsTest::resolve,
                () -> Set.of(WebhookTargets.key(InetAddress.ofLiteral(OWN).getAddress())));
    }

    private static String refusal(WebhookTargets targets, String host) {
        try {
            targets.resolve(host);
            return "accepted";
        } catch (WebhookTargets.RefusedTarget e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        127.0.0.1                | '127.0.0.1' is an internal address (loopback)
        [::1]                    | '[::1]' is an internal address (loopback)
        [::]                     | '[::]' is an internal address (unspecified)
        0.0.0.0                  | '0.0.0.0' is an internal address (unspecified ('this network'))
        169.254.169.254          | '169.254.169.254' is an internal address (link-local)
        [::ffff:169.254.169.254] | '[::ffff:169.254.169.254]' is an internal address (link-local)
        [::ffff:a9fe:a9fe]       | '[::ffff:a9fe:a9fe]' is an internal address (link-local)
        [fd00:ec2::254]          | '[fd00:ec2::254]' is an internal address (unique-local)
        [fe80::1]                | '[fe80::1]' is an internal address (link-local)
        10.0.0.1                 | '10.0.0.1' is an internal address (private)
        192.168.1.1              | '192.168.1.1' is an internal address (private)
        100.64.0.1               | '100.64.0.1' is an internal address (carrier-grade NAT)
        224.0.0.1                | '224.0.0.1' is an internal address (multicast)
        [ff02::1]                | '[ff02::1]' is an internal address (multicast)
        203.0.114.7              | '203.0.114.7' is an address of this machine
        self.example             | 'self.example' resolves to an address of this machine
        intranet.corp.example    | 'intranet.corp.example' resolves to an internal address (private)
        metadata.example         | 'metadata.example' resolves to an internal address (link-local)
        mapped.example           | 'mapped.example' resolves to an internal address (link-local)
        mixed.example            | 'mixed.example' resolves to an internal address (loopback)
        localhost                | 'localhost' is this machine
        LocalHost.               | 'LocalHost.' is this machine
        ivs.localhost            | 'ivs.localhost' is this machine
        metadata.google.internal | 'metadata.google.internal' is an internal name (.internal)
        [fe80::1%25eth0]         | '[fe80::1%25eth0]' names a network interface (an IPv6 zone)
        shop.example.com         | accepted
        93.184.215.14            | accepted
        [2606:4700::1111]        | accepted
        no-such-host.example     | unknown
        """)
    void resolve_withoutAllowList_refusesEveryInternalTarget(String host, String outcome) {
        assertThat(refusal(targets(), host)).isEqualTo(outcome);
    }

    /** Numbers that libc, browsers and Java read as different addresses, or as any address. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2130706433",
                "0x7f000001",
                "0X7F000001",
                "0177.0.0.1",
                "127.1",
                "127.0.1",
                "0",
                "0x",
                "127.000.000.001",
                "1.2.3.256",
                "example.0x10",
                "host.123"
            })
    void resolve_ipv4InAnotherSpelling_isRefusedBeforeAnyLookup(String host) {
        assertThat(refusal(targets("127.0.0.0/8", "10.0.0.0/8"), host))
                .contains("spells an IPv4 address in a form that programs read differently");
    }

    @Test
    void resolve_withAllowList_letsTheNamedHostsAndNetworksThrough() {
        WebhookTargets targets =
                targets("127.0.0.1", "Intranet.Corp.Example.", "*.lab.example", "fd00::/8");

        assertThat(refusal(targets, "127.0.0.1")).isEqualTo("accepted");
        assertThat(refusal(targets, "[::ffff:127.0.0.1]")).isEqualTo("accepted");
        assertThat(refusal(targets, "127.0.0.2")).contains("loopback");
        assertThat(refusal(targets, "intranet.corp.example")).isEqualTo("accepted");
        assertThat(refusal(targets, "erp.corp.example")).contains("private");
        assertThat(refusal(targets, "[fd00:ec2::254]")).isEqualTo("accepted");
        assertThat(refusal(targets, "[fe80::1]")).contains("link-local");
        assertThat(refusal(targets, "169.254.169.254")).contains("link-local");
    }

    @Test
    void resolve_allowedWildcardDomain_coversItsSubdomainsOnly() {
        WebhookTargets targets = new WebhookTargets(
                List.of("*.lab.example"),
                host -> new InetAddress[] {InetAddress.ofLiteral("10.9.8.7")},
                Set::of);

        assertThat(refusal(targets, "a.lab.example")).isEqualTo("accepted");
        assertThat(refusal(targets, "deep.a.lab.example")).isEqualTo("accepted");
        assertThat(refusal(targets, "lab.example")).contains("private");
        assertThat(refusal(targets, "evil-lab.example")).contains("private");
    }

    @Test
    void resolve_allowedName_isNotAllowedLocalhostOrOtherAddresses() {
        WebhookTargets targets = targets("localhost");

        assertThat(refusal(targets, "localhost")).isEqualTo("accepted");
        assertThat(refusal(targets, "127.0.0.1")).contains("loopback");
    }

    @Test
    void requireAllowed_refusedHost_isInvalidInputNamingUrl() {
        assertThatThrownBy(() -> targets().requireAllowed(URI.create("http://10.0.0.1:8080/x")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("url: '10.0.0.1' is an internal address (private)")
                .hasMessageContaining(WebhookTargets.SETTING)
                .extracting(e -> ((InvalidInputException) e).field())
                .isEqualTo("url");
    }

    /** A name that does not resolve now is accepted; its deliveries resolve it again. */
    @Test
    void requireAllowed_unresolvableHost_isAccepted() {
        assertThatCode(() -> targets().requireAllowed(URI.create("https://no-such-host.example/")))
                .doesNotThrowAnyException();
    }

    @Test
    void constructor_malformedNetwork_namesTheSettingEntry() {
        assertThatThrownBy(() -> targets("127.0.0.1", "10.0.0.0/40"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WebhookTargets.SETTING + "[1]")
                .hasMessageContaining("10.0.0.0/40");
    }

    /** This machine's real interfaces: loopback is always among them. */
    @Test
    void ownAddresses_ofThisMachine_includeLoopback() {
        Set<String> own = new WebhookTargets.OwnAddresses().get();

        assertThat(own)
                .contains(WebhookTargets.key(InetAddress.getLoopbackAddress().getAddress()));
    }
}
