package io.ivs.server.security;

import io.ivs.core.onhand.WriteAccess;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

/**
 * The data sources an API caller may write, from its roles: {@code inventory.erp} the ERP-owned
 * ones, {@code inventory.write} the others.
 */
public final class WriteAccesses {
    private WriteAccesses() {}

    public static WriteAccess of(@Nullable Authentication authentication) {
        if (authentication == null || !(authentication.getPrincipal() instanceof Caller caller)) {
            return new WriteAccess(false, false);
        }
        return new WriteAccess(caller.has(Role.INVENTORY_ERP), caller.has(Role.INVENTORY_WRITE));
    }

    /** Whether the caller may write a data source that is (or is not) ERP-owned. */
    public static boolean mayWrite(@Nullable Authentication authentication, boolean erpOwned) {
        WriteAccess access = of(authentication);
        return erpOwned ? access.erpOwned() : access.others();
    }
}
