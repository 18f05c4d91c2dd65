package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Objects;

/** {@code ivs keys …}: the token signing keys ({@code /admin/keys}), as an administrator. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "List or rotate the token signing keys (needs an administrator, as clients"
                + " does).")
final class KeysCommand {
    @Spec
    @Nullable
    CommandSpec spec;

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the signing keys (public parts only).")
    int list() {
        Session session = Session.administrator(Objects.requireNonNull(spec));
        session.print(session.call("GET", "/admin/keys", null));
        return 0;
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Make a new signing key; tokens signed by the old one stay valid until"
                    + " they expire.")
    int rotate() {
        Session session = Session.administrator(Objects.requireNonNull(spec));
        session.print(session.call("POST", "/admin/keys/rotate", null));
        return 0;
    }
}
