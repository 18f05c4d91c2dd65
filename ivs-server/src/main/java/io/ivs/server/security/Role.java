package io.ivs.server.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a client may do inside the environments it is granted. */
public enum Role {
    /** On-hand queries and other reads of inventory data. */
    INVENTORY_READ("inventory.read"),
    /** Change events, set on-hand, reservations and other writes of inventory data. */
    INVENTORY_WRITE("inventory.write"),
    /** Configuration, clean-up endpoints and the administration API. */
    CONFIG_ADMIN("config.admin"),
    /**
     * The ERP integration: on-hand changes, set on-hand and full syncs of the ERP-owned data
     * sources ({@code fno} and those the configuration marks {@code "erpOwned": true}), which
     * no other role may write. Not granted to the bootstrap administrator: an ERP's picture of
     * the stock is overwritten only by a client made for it.
     */
    INVENTORY_ERP("inventory.erp");

    /** The roles of the bootstrap administrator: every role but {@link #INVENTORY_ERP}. */
    public static Set<Role> administrator() {
        return EnumSet.complementOf(EnumSet.of(INVENTORY_ERP));
    }

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
