package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The console's security over real HTTP, decided on the server: pages need a session, forms
 * need the CSRF token, a client without {@code config.admin} cannot read or change the
 * configuration whatever it sends, environments not granted do not exist for it, a revoked
 * client is signed out, and a console session is no credential for the API.
 */
class ConsoleSecurityIntegrationTest extends HttpTestSupport {
    private ConsoleHttp admin;

    @BeforeEach
    void signInAdmin() {
        admin = new ConsoleHttp(port);
        ConsoleHttp.Page signedIn = admin.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).endsWith("/console");
    }

    @Test
    void everyConsolePage_withoutSession_redirectsToSignIn() {
        ConsoleHttp anonymous = new ConsoleHttp(port);
        String base = "/console/env/" + env;
        for (String path : List.of(
                "/console",
                "/console/open?env=" + env,
                base + "/onhand",
                base + "/onhand.csv?organizationId=usmf",
                base + "/reservations",
                base + "/atp",
                base + "/allocation",
                base + "/configuration",
                base + "/configuration/settings",
                base + "/configuration/json",
                base + "/configuration/review",
                base + "/configuration/history",
                base + "/configuration/history/1",
                base + "/configuration/datasources/pos")) {
            ConsoleHttp.Page page = anonymous.get(path);
            assertThat(page.status()).as(path).isEqualTo(302);
            assertThat(page.location()).as(path).endsWith("/console/login");
        }
        assertThat(anonymous.get("/console/login").status()).isEqualTo(200);
        assertThat(anonymous.get("/console/assets/console.css").status()).isEqualTo(200);
    }

    @Test
    void formPosts_withoutSignIn_redirectToSignIn_andChangeNothing() {
        ConsoleHttp anonymous = new ConsoleHttp(port);
        String base = "/console/env/" + env;

        for (String path : List.of(
                base + "/configuration/datasources",
                base + "/configuration/settings",
                base + "/configuration/apply",
                base + "/reservations/reverse")) {
            ConsoleHttp.Page page = anonymous.post(path, Map.of("dataSourceName", "ecom"), true);
            assertThat(page.status()).as(path).isEqualTo(302);
            assertThat(page.location()).as(path).endsWith("/console/login");
        }
        assertThat(versions()).isEqualTo(1);
    }

    @Test
    void signIn_withoutCsrfToken_isRefused() {
        ConsoleHttp page = new ConsoleHttp(port);
        page.get("/console/login");

        ConsoleHttp.Page answer = page.post(
                "/console/login",
                Map.of("clientId", IvsClient.ADMIN_ID, "secret", IvsClient.ADMIN_SECRET),
                false);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(page.get("/console").status()).isEqualTo(302);
    }

    @Test
    void adminPosts_withoutCsrfToken_areRefusedAndChangeNothing() {
        String base = "/console/env/" + env + "/configuration";

        ConsoleHttp.Page unsigned =
                admin.post(base + "/datasources", Map.of("dataSourceName", "ecom"), false);
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(admin.get(base).body()).doesNotContain("ds-ecom");

        ConsoleHttp.Page added =
                admin.post(base + "/datasources", Map.of("dataSourceName", "ecom"), true);
        assertThat(added.status()).isEqualTo(302);
        assertThat(admin.get(base).body()).contains("id=\"ds-ecom\"");

        assertThat(admin.post(base + "/apply", Map.of(), false).status()).isEqualTo(403);
        assertThat(versions()).isEqualTo(1);
        ConsoleHttp.Page applied = admin.post(base + "/apply", Map.of(), true);
        assertThat(applied.status()).isEqualTo(302);
        assertThat(versions()).isEqualTo(2);
        assertThat(configuration().get("inventorySystemConfigurations").has("ecom"))
                .isTrue();
    }

    @Test
    void readOnlyClient_cannotReadOrChangeConfiguration_butCanQuery() {
        ConsoleHttp reader = signedInClient(List.of(env), List.of("inventory.read"));
        String base = "/console/env/" + env + "/configuration";

        assertThat(reader.get(base).status()).isEqualTo(403);
        assertThat(reader.get(base + "/review").status()).isEqualTo(403);
        assertThat(reader.post(base + "/datasources", Map.of("dataSourceName", "x"), true)
                        .status())
                .isEqualTo(403);
        assertThat(reader.post(base + "/settings", Map.of("partitionRule", "product"), true)
                        .status())
                .isEqualTo(403);
        ConsoleHttp.Page apply = reader.post(base + "/apply", Map.of(), true);
        assertThat(apply.status()).isEqualTo(403);
        assertThat(apply.body()).contains("config.admin");
        assertThat(versions()).isEqualTo(1);

        assertThat(reader.get("/console/env/" + env + "/onhand").status()).isEqualTo(200);
        assertThat(reader.get("/console/env/" + env + "/onhand").body())
                .doesNotContain("/configuration\"");
    }

    @Test
    void environmentNotGranted_isNotFound() {
        String other = "other-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        ConsoleHttp reader = signedInClient(List.of(env), List.of("inventory.read"));

        assertThat(reader.get("/console/env/" + other + "/onhand").status()).isEqualTo(404);
        assertThat(reader.get("/console/env/no-such-env/onhand").status()).isEqualTo(404);
        ConsoleHttp.Page home = reader.get("/console");
        assertThat(home.status()).isEqualTo(302);
        assertThat(home.location()).endsWith("/console/env/" + env + "/overview");
    }

    @Test
    void revokedClient_isSignedOutAtItsNextRequest() {
        String clientId = "console-" + UUID.randomUUID();
        ConsoleHttp reader = signedInClient(clientId, List.of(env), List.of("inventory.read"));
        assertThat(reader.get("/console/env/" + env + "/onhand").status()).isEqualTo(200);

        IvsClient.Response revoked = client.post("/admin/clients/" + clientId + "/revoke", null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

        ConsoleHttp.Page page = reader.get("/console/env/" + env + "/onhand");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).endsWith("/console/login?ended");
        assertThat(reader.get("/console/env/" + env + "/onhand").location())
                .endsWith("/console/login");
    }

    @Test
    void consoleSession_isNoCredentialForTheApi() {
        IvsClient.Response response = client.withoutAuth()
                .get(api("/configuration"), "Cookie", "IVS_CONSOLE_SESSION=" + admin.session());

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void badInput_answers400NamingTheField_neverA500() {
        String base = "/console/env/" + env;
        ConsoleHttp.Page query = admin.get(base + "/onhand?organizationId=usmf&productIds=p"
                + "&siteIds=1&locationIds=1&groupBy=nosuchdimension");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.body()).contains("nosuchdimension");

        ConsoleHttp.Page settings = admin.post(
                base + "/configuration/settings",
                Map.of(
                        "partitionRule",
                        "location",
                        "reservationVersion",
                        "0",
                        "schedulePeriodDays",
                        "many"),
                true);
        assertThat(settings.status()).isEqualTo(400);
        assertThat(settings.body()).contains("schedulePeriodDays");

        ConsoleHttp.Page formula = admin.post(
                base + "/configuration/datasources/pos",
                Map.of("physicalMeasures", "inbound", "calculatedMeasures", "x = pos.inbound +"),
                true);
        assertThat(formula.status()).isEqualTo(400);
        assertThat(formula.body()).contains("calculatedMeasures.x");
        assertThat(admin.get(base + "/configuration").body()).doesNotContain("Draft with changes");
    }

    private ConsoleHttp signedInClient(List<String> environments, List<String> roles) {
        return signedInClient("console-" + UUID.randomUUID(), environments, roles);
    }

    private ConsoleHttp signedInClient(
            String clientId, List<String> environments, List<String> roles) {
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(Map.of(
                        "clientId", clientId, "environments", environments, "roles", roles)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ConsoleHttp console = new ConsoleHttp(port);
        ConsoleHttp.Page signedIn =
                console.signIn(clientId, created.json().path("clientSecret").asString());
        assertThat(signedIn.status()).isEqualTo(302);
        return console;
    }

    private int versions() {
        IvsClient.Response response =
                client.get("/admin/environments/" + env + "/configuration/versions");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get(0).path("version").asInt();
    }
}
