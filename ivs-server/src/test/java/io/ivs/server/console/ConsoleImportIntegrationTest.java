package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's Import page over real HTTP, as its script uses it: the CSV goes up as the body
 * with the page's CSRF token, the job is polled until done, the server's totals are exact, the
 * refused rows come back with their lines, a second upload of the same file changes nothing, and
 * a client without {@code inventory.write} can do none of it.
 */
class ConsoleImportIntegrationTest extends HttpTestSupport {
    private static final Pattern META_TOKEN =
            Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final String CSV = "organizationId,productId,siteId,locationId,pos.inbound\n"
            + "usmf,C1,1,11,5\n"
            + "usmf,,1,11,5\n"
            + "usmf,C1,1,11,2.5\n"
            + "usmf,C2,1,11,x\n"
            + "usmf,C2,1,11,7\n";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void upload_runsTheImport_withExactTotalsAndRejects_andAgainChangesNothing() {
        ConsoleHttp console = signedIn(List.of("inventory.write", "inventory.read"));
        String base = "/console/env/" + env + "/import";
        assertThat(console.get(base).body()).contains("import-form").contains("/import\"");

        JsonNode first = finished(console, upload(console, base, "change", CSV));
        JsonNode second = finished(console, upload(console, base, "change", CSV));

        assertThat(first.path("state").asString()).isEqualTo("done");
        assertThat(first.path("accepted").asLong()).isEqualTo(3);
        assertThat(first.path("rejected").asLong()).isEqualTo(2);
        assertThat(second.path("accepted").asLong()).isEqualTo(3);
        assertThat(inbound("C1")).isEqualByComparingTo("7.5");
        assertThat(inbound("C2")).isEqualByComparingTo("7");
        ConsoleHttp.Page rejects =
                console.get(base + "/jobs/" + first.path("id").asString() + "/rejects.csv");
        assertThat(rejects.status()).isEqualTo(200);
        assertThat(rejects.body().lines().toList())
                .containsExactly(
                        "organizationId,productId,siteId,locationId,pos.inbound,line,reason",
                        "usmf,,1,11,5,3,productId: must not be empty",
                        "usmf,C2,1,11,x,5,pos.inbound: 'x' is not a number");
        assertThat(console.get(base).body()).contains("rejects.csv");
    }

    @Test
    void set_ofAnUnconfiguredDataSource_isRefusedBeforeAnything() {
        ConsoleHttp console = signedIn(List.of("inventory.write"));

        HttpResponse<String> answer =
                post(console, "/console/env/" + env + "/import?mode=set&dataSource=nosuch", CSV);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("data source 'nosuch' is not configured");
    }

    @Test
    void readOnlyClient_cannotImport() {
        ConsoleHttp reader = signedIn(List.of("inventory.read"));
        String base = "/console/env/" + env + "/import";

        assertThat(reader.get(base).status()).isEqualTo(403);
        assertThat(post(reader, base + "?mode=change", CSV).statusCode()).isEqualTo(403);
        assertThat(reader.get("/console/env/" + env + "/onhand").body())
                .doesNotContain("/import\"");
        assertThat(inbound("C1")).isEqualByComparingTo("0");
    }

    private ConsoleHttp signedIn(List<String> roles) {
        String clientId = "console-" + UUID.randomUUID();
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(Map.of(
                        "clientId", clientId, "environments", List.of(env), "roles", roles)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ConsoleHttp console = new ConsoleHttp(port);
        ConsoleHttp.Page signedIn =
                console.signIn(clientId, created.json().path("clientSecret").asString());
        assertThat(signedIn.status()).isEqualTo(302);
        return console;
    }

    private String upload(ConsoleHttp console, String base, String mode, String csv) {
        HttpResponse<String> answer = post(console, base + "?mode=" + mode, csv);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return IvsClient.parse(answer.body()).path("id").asString();
    }

    /** Posts the CSV as the page's script does: the body, with the CSRF token in a header. */
    private HttpResponse<String> post(ConsoleHttp console, String path, String csv) {
        Matcher token = META_TOKEN.matcher(console.get("/console/login").body());
        assertThat(token.find()).isTrue();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Cookie", "IVS_CONSOLE_SESSION=" + console.session())
                .header("X-CSRF-TOKEN", token.group(1))
                .header("Content-Type", "text/csv")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(csv))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode finished(ConsoleHttp console, String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ConsoleHttp.Page page = console.get("/console/env/" + env + "/import/jobs/" + jobId);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode job = IvsClient.parse(page.body());
            if (!job.path("state").asString().matches("queued|running")) {
                return job;
            }
            sleep();
        }
        throw new AssertionError("the import did not finish within a minute");
    }

    private BigDecimal inbound(String product) {
        IvsClient.Response answer = client.post(
                api("/onhand/indexquery"),
                IvsClient.json(Map.of(
                        "filters",
                        Map.of(
                                "organizationId", List.of("usmf"),
                                "productId", List.of(product),
                                "siteId", List.of("1"),
                                "locationId", List.of("11")),
                        "groupByValues",
                        List.of(),
                        "returnNegative",
                        true)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode row : answer.json()) {
            String value = quantity(row, "pos", "inbound");
            total = value == null ? total : total.add(new BigDecimal(value));
        }
        return total;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
