package io.ivs.server.webhook;

import io.ivs.core.InvalidInputException;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where webhooks may go. A target is refused when its host is, or resolves to, an internal
 * address ({@link TargetAddresses}) or an address of this machine, when its host is a name that
 * always means an internal host ({@code localhost}, {@code *.internal}), or when it spells an
 * IPv4 address in a way that tools read differently ({@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}). The operator's {@code ivs.webhooks.allowed-internal-hosts} lets named
 * hosts and networks through.
 *
 * <p>A subscription's target is checked when it is created, so that a mistake is answered at
 * once, and again before every delivery attempt and for every new connection: DNS may answer
 * differently by then (DNS rebinding), and the HTTP client connects only to the addresses that
 * {@link #resolve} checked.
 */
@Component
class WebhookTargets {
    /** How long the list of this machine's addresses is reused before it is read again. */
    static final Duration OWN_ADDRESSES_REFRESH = Duration.ofMinutes(1);

    static final String SETTING = "ivs.webhooks.allowed-internal-hosts";

    /** A host whose last label is a number is an IPv4 address to browsers and to libc. */
    private static final Pattern NUMERIC_LAST_LABEL =
            Pattern.compile("(?:.*\\.)?(?:[0-9]+|0x[0-9a-f]*)");

    private static final Pattern CANONICAL_IPV4 =
            Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                    + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** A refused target: no connection is made to it. */
    static final class RefusedTarget extends UnknownHostException {
        RefusedTarget(String message) {
            super(message);
        }

        /** Never null: this exception is always made with a message. */
        @Override
        public String getMessage() {
            return Objects.requireNonNull(super.getMessage());
        }
    }

    /** Turns a host name or IP literal into addresses (the system resolver in production). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> allowedNames = new HashSet<>();
    private final List<String> allowedSuffixes = new ArrayList<>();
    private final List<TargetAddresses.Network> allowedNetworks = new ArrayList<>();
    private final Resolver resolver;
    private final Supplier<Set<String>> ownAddresses;

    @Autowired
    WebhookTargets(WebhookSettings settings) {
        this(settings.allowedInternalHosts(), InetAddress::getAllByName, new OwnAddresses());
    }

    /**
     * @param allowed the allow-list entries: host names, {@code *.domain}, addresses, networks
     * @param ownAddresses this machine's addresses, each as {@link #key}
     */
    WebhookTargets(List<String> allowed, Resolver resolver, Supplier<Set<String>> ownAddresses) {
        this.resolver = resolver;
        this.ownAddresses = ownAddresses;
        for (int i = 0; i < allowed.size(); i++) {
            allow(allowed.get(i).strip().toLowerCase(Locale.ROOT), SETTING + "[" + i + "]");
        }
    }

    private void allow(String entry, String setting) {
        if (entry.isEmpty()) {
            return;
        }
        if (entry.startsWith("*.") && entry.length() > 2) {
            allowedSuffixes.add(withoutTrailingDot(entry.substring(1)));
        } else if (entry.contains("/")
                || entry.contains(":")
                || CANONICAL_IPV4.matcher(entry).matches()) {
            try {
                allowedNetworks.add(TargetAddresses.Network.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        setting + ": '" + entry + "' is not an address or network (address/bits)",
                        e);
            }
        } else {
            allowedNames.add(withoutTrailingDot(entry));
        }
    }

    /**
     * Refuses, naming the field {@code url}, a subscription whose target a delivery would refuse
     * now. A host that does not resolve now is accepted: each delivery resolves it again.
     */
    void requireAllowed(URI url) {
        try {
            resolve(url.getHost());
        } catch (RefusedTarget e) {
            throw new InvalidInputException(
                    "url",
                    e.getMessage() + "; IVS does not send webhooks to internal hosts unless "
                            + SETTING + " names them");
        } catch (UnknownHostException e) {
            // Not in DNS yet, or DNS is down: the deliveries will tell.
        }
    }

    /**
     * The addresses of {@code host} (as a URL writes it), each one checked.
     *
     * @throws RefusedTarget when the host or any of its addresses is refused
     * @throws UnknownHostException when the host does not resolve
     */
    InetAddress[] resolve(@Nullable String host) throws UnknownHostException {
        if (host == null || host.isBlank()) {
            throw new RefusedTarget("the URL names no host");
        }
        String name = normalized(host);
        if (allowedByName(name)) {
            return resolver.resolve(name);
        }
        refuseByName(host, name);
        InetAddress[] addresses = resolver.resolve(name);
        boolean literal = name.contains(":") || CANONICAL_IPV4.matcher(name).matches();
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw new RefusedTarget(
                        "'" + host + "' " + (literal ? "is " : "resolves to ") + why);
            }
        }
        return addresses;
    }

    private boolean allowedByName(String name) {
        if (allowedNames.contains(name)) {
            return true;
        }
        for (String suffix : allowedSuffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static void refuseByName(String host, String name) throws RefusedTarget {
        if (name.contains("%")) {
            throw new RefusedTarget("'" + host + "' names a network interface (an IPv6 zone)");
        }
        if (!name.contains(":")
                && NUMERIC_LAST_LABEL.matcher(name).matches()
                && !CANONICAL_IPV4.matcher(name).matches()) {
            throw new RefusedTarget("'" + host + "' spells an IPv4 address in a form that"
                    + " programs read differently; write it as four decimal numbers a.b.c.d");
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            throw new RefusedTarget("'" + host + "' is this machine");
        }
        if (name.endsWith(".internal")) {
            throw new RefusedTarget("'" + host + "' is an internal name (.internal)");
        }
    }

    /** Why an address is refused, or null when it may be connected to. */
    private @Nullable String refusal(InetAddress address) {
        byte[] bytes = TargetAddresses.normalized(address.getAddress());
        for (TargetAddresses.Network network : allowedNetworks) {
            if (network.contains(bytes)) {
                return null;
            }
        }
        String kind = TargetAddresses.internalKind(bytes);
        if (kind != null) {
            return "an internal address (" + kind + ")";
        }
        if (ownAddresses.get().contains(key(bytes))) {
            return "an address of this machine";
        }
        return null;
    }

    /** Lower case, without IPv6 brackets and without the root's trailing dot. */
    private static String normalized(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            return name.substring(1, name.length() - 1);
        }
        return withoutTrailingDot(name);
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** An address as compared with this machine's addresses: its normalized bytes in hex. */
    static String key(byte[] address) {
        return HexFormat.of().formatHex(TargetAddresses.normalized(address));
    }

    /** This machine's interface addresses, read again every {@link #OWN_ADDRESSES_REFRESH}. */
    static final class OwnAddresses implements Supplier<Set<String>> {
        private record Snapshot(Set<String> keys, long readAtNanos) {}

        private volatile @Nullable Snapshot snapshot;

        @Override
        public Set<String> get() {
            Snapshot current = snapshot;
            long now = System.nanoTime();
            if (current == null || now - current.readAtNanos() > OWN_ADDRESSES_REFRESH.toNanos()) {
                current = new Snapshot(read(), now);
                snapshot = current;
            }
            return current.keys();
        }

        private static Set<String> read() {
            Set<String> keys = new HashSet<>();
            try {
                NetworkInterface.networkInterfaces()
                        .flatMap(NetworkInterface::inetAddresses)
                        .forEach(address -> keys.add(key(address.getAddress())));
            } catch (SocketException e) {
                // No interface list: the address rules still refuse every internal range.
            }
            return Set.copyOf(keys);
        }
    }
}
