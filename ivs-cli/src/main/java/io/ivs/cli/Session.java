package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/**
 * A command's connection to the server, signed in, with the command line's output streams:
 * answers go to standard output, notes and errors to standard error.
 */
final class Session {
    /**
     * The environment of the administrator's token. A client granted every environment may take
     * a token for any environment id, and the admin API reads none from it.
     */
    static final String ADMIN_CONTEXT = "admin";

    private final IvsApi api;
    private final String token;
    private final PrintWriter out;
    private final PrintWriter err;

    private Session(IvsApi api, String token, PrintWriter out, PrintWriter err) {
        this.api = api;
        this.token = token;
        this.out = out;
        this.err = err;
    }

    /** Signs in as the administrator of the environment variables. */
    static Session administrator(CommandSpec spec) {
        IvsCli root = root(spec);
        Credentials credentials = Credentials.administrator(root.environment());
        return signIn(spec, credentials, ADMIN_CONTEXT);
    }

    static Session signIn(CommandSpec spec, Credentials credentials, String environment) {
        IvsApi api = root(spec).api();
        String token = api.signIn(credentials, environment);
        return new Session(
                api, token, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static IvsCli root(CommandSpec spec) {
        return (IvsCli) spec.root().userObject();
    }

    IvsApi api() {
        return api;
    }

    String token() {
        return token;
    }

    String call(String method, String path, @Nullable String json) {
        return api.call(method, path, token, json);
    }

    void print(String answer) {
        out.println(answer);
        out.flush();
    }

    void note(String text) {
        err.println("ivs: " + text);
        err.flush();
    }
}
