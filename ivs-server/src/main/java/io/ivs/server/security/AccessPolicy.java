package io.ivs.server.security;

import org.jspecify.annotations.Nullable;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which calls a caller may make. Every path that reaches the policy needs a token (the open
 * paths are let through before it, see {@link SecurityConfiguration}); then:
 *
 * <ul>
 *   <li>{@code /api/environment/{id}/…}: a token for exactly that environment, and the role the
 *       endpoint needs ({@link #apiRoles}); otherwise 403;
 *   <li>{@code /admin/environments/{id}[/…]}: {@code config.admin}, with a token for that
 *       environment or a client granted every environment;
 *   <li>the rest of {@code /admin/…}, the non-public actuator endpoints and any other path:
 *       {@code config.admin} and a client granted every environment, since clients and keys
 *       span environments (and a path no rule names is closed by default).
 * </ul>
 *
 * <p>Plain functions of method, path and caller, so that the whole table is unit-tested.
 */
public final class AccessPolicy {
    /** The outcome of a check; {@code reason} says why a call was refused. */
    public record Decision(Outcome outcome, String reason) {
        static final Decision GRANTED = new Decision(Outcome.GRANTED, "");
        static final Decision NEEDS_TOKEN = new Decision(Outcome.NEEDS_TOKEN, "");

        static Decision denied(String reason) {
            return new Decision(Outcome.DENIED, reason);
        }
    }

    public enum Outcome {
        GRANTED,
        /** No valid token: 401. */
        NEEDS_TOKEN,
        /** A valid token that does not allow this call: 403. */
        DENIED
    }

    private AccessPolicy() {}

    /**
     * @param path the canonical request path, decoded ({@link
     *     io.ivs.server.web.CanonicalPathFilter}): the path the handler receives
     */
    public static Decision decide(String method, String path, @Nullable Caller caller) {
        if (caller == null) {
            return Decision.NEEDS_TOKEN;
        }
        String[] parts = path.split("/", -1);
        if (parts.length >= 4 && parts[1].equals("api") && parts[2].equals("environment")) {
            return api(method, parts[3], rest(parts), caller);
        }
        if (parts.length >= 4 && parts[1].equals("admin") && parts[2].equals("environments")) {
            return environmentAdmin(parts[3], caller);
        }
        // The rest of /admin and /actuator, and any path no rule names: denied by default, so
        // an endpoint added later is closed until a rule opens it.
        return globalAdmin(caller);
    }

    /**
     * The roles of which an API call needs one. Admin endpoints are matched first, then reads
     * (GET and POST queries); everything else, including endpoints added later, is a write.
     *
     * @param rest the path after {@code /api/environment/{id}}
     */
    public static Set<Role> apiRoles(String method, String rest) {
        String path = rest.toLowerCase(Locale.ROOT);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/configuration")
                || path.startsWith("/configuration/")
                || path.contains("cleanup")
                || path.equals("/onhand/reserve/resyncjob")
                || path.equals("/updatepartitionschema")
                || path.equals("/updateenvidinconfig")) {
            return EnumSet.of(Role.CONFIG_ADMIN);
        }
        if (path.equals("/allpartitionids") || path.equals("/getjobprogress")) {
            return EnumSet.of(Role.INVENTORY_READ, Role.CONFIG_ADMIN);
        }
        String verb = method.toUpperCase(Locale.ROOT);
        if (erpWrite(verb, path)) {
            // Which data sources the caller may write is then decided per item: the ERP-owned
            // ones with inventory.erp, the others with inventory.write.
            return EnumSet.of(Role.INVENTORY_WRITE, Role.INVENTORY_ERP);
        }

        if (verb.equals("GET") || verb.equals("HEAD") || verb.equals("OPTIONS")) {
            // An ERP reads the state of its own syncs.
            return isSync(path)
                    ? EnumSet.of(Role.INVENTORY_READ, Role.INVENTORY_ERP)
                    : EnumSet.of(Role.INVENTORY_READ);
        }
        // The ERP collects the adjustments' journals and acknowledges what it posted; an API
        // client that could collect would take adjustments away from the ERP.
        if (verb.equals("POST")
                && (path.equals("/transaction/adjustment/collect")
                        || (path.startsWith("/transaction/adjustment/collections/")
                                && path.endsWith("/acknowledge")))) {
            return EnumSet.of(Role.INVENTORY_ERP);
        }
        // The product catalogue is master data that an inventory writer or an administrator
        // may load.
        if (path.equals("/products") || path.startsWith("/products/")) {
            return EnumSet.of(Role.INVENTORY_WRITE, Role.CONFIG_ADMIN);
        }
        if (verb.equals("POST") && path.endsWith("query")) {
            return EnumSet.of(Role.INVENTORY_READ);
        }
        return EnumSet.of(Role.INVENTORY_WRITE);
    }

    /** On-hand change events, set on-hand and full-sync writes: what an ERP pushes. */
    private static boolean erpWrite(String verb, String path) {
        if (verb.equals("POST")) {
            return path.equals("/onhand")
                    || path.equals("/onhand/bulk")
                    || (path.startsWith("/setonhand/") && path.endsWith("/bulk"))
                    || (isSync(path) && !path.equals("/sync"));
        }
        return verb.equals("DELETE") && isSync(path);
    }

    private static boolean isSync(String path) {
        return path.equals("/sync") || path.startsWith("/sync/");
    }

    private static Decision api(String method, String environmentId, String rest, Caller caller) {
        if (!environmentId.equals(caller.environmentId())) {
            return Decision.denied("the token is for environment '" + caller.environmentId()
                    + "', not '" + environmentId + "'; get a token for it from POST /token");
        }
        Set<Role> needed = apiRoles(method, rest);
        if (needed.stream().noneMatch(caller::has)) {
            return Decision.denied("this call needs the role " + names(needed, " or ")
                    + "; the token has " + names(caller.roles(), ", "));
        }
        return Decision.GRANTED;
    }

    private static Decision environmentAdmin(String environmentId, Caller caller) {
        if (!caller.has(Role.CONFIG_ADMIN)) {
            return Decision.denied("this call needs the role config.admin");
        }
        if (!caller.allEnvironments() && !environmentId.equals(caller.environmentId())) {
            return Decision.denied("the token is for environment '" + caller.environmentId()
                    + "', not '" + environmentId + "'");
        }
        return Decision.GRANTED;
    }

    private static Decision globalAdmin(Caller caller) {
        if (!caller.has(Role.CONFIG_ADMIN) || !caller.allEnvironments()) {
            return Decision.denied("this call needs the role config.admin of a client granted"
                    + " every environment (\"*\")");
        }
        return Decision.GRANTED;
    }

    private static String rest(String[] parts) {
        StringBuilder rest = new StringBuilder();
        for (int i = 4; i < parts.length; i++) {
            rest.append('/').append(parts[i]);
        }
        return rest.toString();
    }

    private static String names(Set<Role> roles, String separator) {
        if (roles.isEmpty()) {
            return "no role";
        }
        return roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(separator));
    }
}
