package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/ivs clients …} and {@code bin/ivs keys …} against a running server, as an operator
 * runs them: the administrator's credentials in the environment, the server's URL as an option.
 * Needs bash and curl; skipped where they are missing.
 */
class ClientsCliIntegrationTest extends SecurityTestSupport {
    private Path script;

    @BeforeEach
    void findScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bin/ivs"))) {
            dir = dir.getParent();
        }
        assumeTrue(dir != null, "bin/ivs not found above the working directory");
        assumeTrue(onPath("bash") && onPath("curl"), "bash and curl are needed");
        script = dir.resolve("bin/ivs");
    }

    private record Run(int exit, String out, String err) {
        JsonNode json() {
            return IvsClient.parse(out);
        }
    }

    private Run ivs(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        command.add("--url");
        command.add("http://127.0.0.1:" + port);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("IVS_BOOTSTRAP_CLIENT_ID");
        builder.environment().remove("IVS_BOOTSTRAP_CLIENT_SECRET");
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    private Run ivs(String... args) throws IOException, InterruptedException {
        return ivs(
                Map.of(
                        "IVS_ADMIN_CLIENT_ID", IvsClient.ADMIN_ID,
                        "IVS_ADMIN_CLIENT_SECRET", IvsClient.ADMIN_SECRET),
                args);
    }

    @Test
    void clientsCreateListRevoke_managesAClientThroughTheAdminApi() throws Exception {
        Run created = ivs(
                "clients", "create",
                "--environments", env,
                "--roles", "inventory.read,inventory.write",
                "--description", "store 12 \"north\"");

        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.json().path("clientId").asString();
        String secret = created.json().path("clientSecret").asString();
        assertThat(created.err()).contains("shown only now");
        assertThat(created.json().path("description").asString()).isEqualTo("store 12 \"north\"");
        String token = client.accessToken(id, secret, env);
        assertThat(client.withToken(token)
                        .post(api("/onhand"), event("cli-1", "1"))
                        .status())
                .isEqualTo(200);

        Run list = ivs("clients", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(id).doesNotContain(secret);

        Run revoked = ivs("clients", "revoke", id);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.json().path("status").asString()).isEqualTo("revoked");
        assertThat(client.withToken(token)
                        .post(api("/onhand"), event("cli-2", "1"))
                        .status())
                .isEqualTo(401);
        assertThat(stock(env)).isEqualTo("1");
    }

    @Test
    void clientsCreate_allEnvironments_keepsTheStar() throws Exception {
        Run created = ivs("clients", "create", "--environments", "*", "--roles", "inventory.read");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().path("environments").get(0).asString()).isEqualTo("*");
    }

    @Test
    void keysList_showsTheSigningKey() throws Exception {
        Run keys = ivs("keys", "list");

        assertThat(keys.exit()).as(keys.err()).isZero();
        assertThat(keys.out()).contains("\"status\":\"signing\"").doesNotContain("\"d\"");
    }

    @Test
    void clients_withoutCredentialsOrWithWrongOnes_failsWithAMessage() throws Exception {
        Run none = ivs(Map.of(), "clients", "list");
        Run wrong = ivs(
                Map.of("IVS_ADMIN_CLIENT_ID", IvsClient.ADMIN_ID, "IVS_ADMIN_CLIENT_SECRET", "no"),
                "clients",
                "list");

        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("IVS_ADMIN_CLIENT_ID");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("401");
    }

    @Test
    void clients_asClientWithoutGlobalAdmin_failsWith403() throws Exception {
        Credentials scoped = createClient(List.of(env), "config.admin");

        Run list = ivs(
                Map.of(
                        "IVS_ADMIN_CLIENT_ID", scoped.clientId(),
                        "IVS_ADMIN_CLIENT_SECRET", scoped.secret()),
                "clients",
                "list");

        assertThat(list.exit()).isNotZero();
        assertThat(list.err()).contains("403");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
