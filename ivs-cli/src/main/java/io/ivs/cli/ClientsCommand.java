package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * {@code ivs clients …}: the admin API of clients ({@code /admin/clients}), called as an
 * administrator granted every environment. Answers are printed as the server gives them (JSON),
 * so that scripts can read them.
 */
@Command(
        name = "clients",
        mixinStandardHelpOptions = true,
        description = "Create, list, show or revoke API clients (needs an administrator:"
                + " IVS_ADMIN_CLIENT_ID and IVS_ADMIN_CLIENT_SECRET, else IVS_BOOTSTRAP_...).")
final class ClientsCommand {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    @Nullable
    CommandSpec spec;

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create an API client and print it with its secret, which is shown only this once.",
                "With --issuer the client signs in through that trusted issuer"
                        + " (IVS_TRUSTED_ISSUERS) and gets no secret."
            })
    int create(
            @Option(
                            names = "--environments",
                            required = true,
                            split = ",",
                            paramLabel = "ENV",
                            description = "Environments it may use, comma-separated, or '*' for"
                                    + " every one.")
                    List<String> environments,
            @Option(
                            names = "--roles",
                            required = true,
                            split = ",",
                            paramLabel = "ROLE",
                            description = "inventory.read, inventory.write, config.admin,"
                                    + " inventory.erp;"
                                    + " comma-separated.")
                    List<String> roles,
            @Option(
                            names = "--id",
                            paramLabel = "ID",
                            description = "Its client id (default:" + " one the server makes up).")
                    @Nullable
                    String id,
            @Option(
                            names = "--issuer",
                            paramLabel = "ISSUER",
                            description = "A trusted issuer"
                                    + " it signs in through instead of a secret.")
                    @Nullable
                    String issuer,
            @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
                    @Nullable
                    String description) {
        ObjectNode body = JSON.createObjectNode();
        putList(body.putArray("environments"), environments);
        putList(body.putArray("roles"), roles);
        if (id != null) {
            body.put("clientId", id);
        }
        if (issuer != null) {
            body.put("issuer", issuer);
        }
        if (description != null) {
            body.put("description", description);
        }
        Session session = session();
        session.print(session.call("POST", "/admin/clients", body.toString()));
        if (issuer == null) {
            session.note("the clientSecret above is shown only now; store it safely");
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients.")
    int list() {
        Session session = session();
        session.print(session.call("GET", "/admin/clients", null));
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one client.")
    int show(@Parameters(paramLabel = "ID", description = "The client id.") String id) {
        Session session = session();
        session.print(session.call("GET", "/admin/clients/" + IvsApi.segment(id), null));
        return 0;
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a client: its tokens stop working at once.")
    int revoke(@Parameters(paramLabel = "ID", description = "The client id.") String id) {
        Session session = session();
        String path = "/admin/clients/" + IvsApi.segment(id) + "/revoke";
        session.print(session.call("POST", path, null));
        return 0;
    }

    private Session session() {
        return Session.administrator(Objects.requireNonNull(spec));
    }

    /** Items as the shell gave them, trimmed; empty ones (from "a,,b" or "a,") are dropped. */
    private static void putList(ArrayNode array, List<String> items) {
        for (String item : items) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                array.add(trimmed);
            }
        }
    }
}
