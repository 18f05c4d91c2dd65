package io.ivs.server.webhook;

import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Which IP addresses are internal: the special-purpose ranges of the IANA registries that are not
 * globally reachable (loopback, link-local, private, carrier-grade NAT, ...), multicast, and
 * reserved space. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by
 * that IPv4 address, so that {@code ::ffff:169.254.169.254} is as internal as
 * {@code 169.254.169.254}.
 */
final class TargetAddresses {
    /** An IP network: the leading {@code bits} of {@code prefix} (4 or 16 bytes) are fixed. */
    record Network(byte[] prefix, int bits) {
        /**
         * Reads {@code address/bits} or a single address (all bits fixed). Only IP literals are
         * read: a name is never looked up here.
         *
         * @throws IllegalArgumentException when the text is not an address or network
         */
        static Network parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            byte[] bytes = normalized(InetAddress.ofLiteral(address).getAddress());
            int extra = bytes.length == 4 && address.contains(":") ? 96 : 0;
            int bits = slash < 0 ? bytes.length * 8 : parseBits(text.substring(slash + 1)) - extra;
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException(
                        "'" + text + "' has a prefix length out of range");
            }
            return new Network(bytes, bits);
        }

        private static int parseBits(String text) {
            if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not a prefix length");
            }
            return Integer.parseInt(text);
        }

        /** Whether {@code address} (normalized, 4 or 16 bytes) lies in this network. */
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private record Rule(Network network, String kind) {}

    /** First match wins. */
    private static final List<Rule> IPV4 = List.of(
            rule("0.0.0.0/8", "unspecified ('this network')"),
            rule("10.0.0.0/8", "private"),
            rule("100.64.0.0/10", "carrier-grade NAT"),
            rule("127.0.0.0/8", "loopback"),
            rule("169.254.0.0/16", "link-local"),
            rule("172.16.0.0/12", "private"),
            rule("192.0.0.0/24", "IETF protocol assignment"),
            rule("192.0.2.0/24", "documentation"),
            rule("192.88.99.0/24", "6to4 relay"),
            rule("192.168.0.0/16", "private"),
            rule("198.18.0.0/15", "benchmarking"),
            rule("198.51.100.0/24", "documentation"),
            rule("203.0.113.0/24", "documentation"),
            rule("224.0.0.0/4", "multicast"),
            rule("240.0.0.0/4", "reserved or broadcast"));

    /** First match wins; IPv4-mapped, NAT64 and 6to4 addresses are judged before these. */
    private static final List<Rule> IPV6 = List.of(
            rule("::/128", "unspecified"),
            rule("::1/128", "loopback"),
            rule("::/96", "IPv4-compatible (deprecated)"),
            rule("64:ff9b:1::/48", "local-use NAT64"),
            rule("100::/64", "discard-only"),
            rule("2001::/23", "IETF protocol assignment (Teredo, benchmarking, ...)"),
            rule("2001:db8::/32", "documentation"),
            rule("3fff::/20", "documentation"),
            rule("fc00::/7", "unique-local"),
            rule("fe80::/10", "link-local"),
            rule("fec0::/10", "site-local (deprecated)"),
            rule("ff00::/8", "multicast"));

    private static final Network GLOBAL_UNICAST = Network.parse("2000::/3");
    private static final Network NAT64 = Network.parse("64:ff9b::/96");
    private static final Network SIX_TO_FOUR = Network.parse("2002::/16");

    private TargetAddresses() {}

    private static Rule rule(String network, String kind) {
        return new Rule(Network.parse(network), kind);
    }

    /**
     * The address as 4 bytes when it is IPv4 or IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}: the
     * same host), else as given.
     */
    static byte[] normalized(byte[] address) {
        if (address.length == 16 && isMapped(address)) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        return address.clone();
    }

    private static boolean isMapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /**
     * What kind of internal address this is ("loopback", "private", ...), or null when it is a
     * globally reachable unicast address.
     */
    static @Nullable String internalKind(InetAddress address) {
        return internalKind(normalized(address.getAddress()));
    }

    static @Nullable String internalKind(byte[] address) {
        byte[] bytes = normalized(address);
        if (bytes.length == 4) {
            return kind(IPV4, bytes);
        }
        byte[] embedded = embeddedIpv4(bytes);
        if (embedded != null) {
            String kind = kind(IPV4, embedded);
            return kind == null ? null : kind + ", carried in IPv6";
        }
        String kind = kind(IPV6, bytes);
        // Only 2000::/3 is handed out for global unicast; the rest cannot be a receiver.
        return kind == null && !GLOBAL_UNICAST.contains(bytes) ? "reserved" : kind;
    }

    /** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte @Nullable [] embeddedIpv4(byte[] address) {
        if (NAT64.contains(address)) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        if (SIX_TO_FOUR.contains(address)) {
            return Arrays.copyOfRange(address, 2, 6);
        }
        return null;
    }

    private static @Nullable String kind(List<Rule> rules, byte[] address) {
        for (Rule rule : rules) {
            if (rule.network().contains(address)) {
                return rule.kind();
            }
        }
        return null;
    }
}
