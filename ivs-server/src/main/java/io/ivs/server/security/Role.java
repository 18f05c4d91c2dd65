package io.ivs.server.security;

import java.util.Locale;
import java.util.Optional;

/** What a client may do inside the environments it is granted. */
public enum Role {
    /** On-hand queries and other reads of inventory data. */
    INVENTORY_READ("inventory.read"),
    /** Change events, set on-hand, reservations and other writes of inventory data. */
    INVENTORY_WRITE("inventory.write"),
    /** Configuration, clean-up endpoints and the administration API. */
    CONFIG_ADMIN("config.admin");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name in tokens, JSON and the CLI. */
    public String wireName() {
        return wireName;
    }

    /** The role with this name, matched case-insensitively (DESIGN D8). */
    public static Optional<Role> parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.wireName.equals(wanted)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
