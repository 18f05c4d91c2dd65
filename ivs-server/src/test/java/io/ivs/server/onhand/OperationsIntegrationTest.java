package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Operational endpoints (spec §1.2, DESIGN D11): health, readiness, metrics, partition ids and
 * the clean-up calls, unknown environments and request ids.
 */
class OperationsIntegrationTest extends HttpTestSupport {

    private static String event(
            String id, String product, String site, String location, int inbound) {
        return IvsClient.json(IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                product,
                "dimensions",
                IvsClient.map("siteId", site, "locationId", location, "colorId", "red"),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", inbound))));
    }

    private void write(String environmentId, String body) {
        IvsClient.Response response =
                client.post("/api/environment/" + environmentId + "/onhand", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private void write(String body) {
        write(env, body);
    }

    private List<String> partitionIds(String environmentId) {
        IvsClient.Response response =
                client.get("/api/environment/" + environmentId + "/allpartitionids");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().isArray()).isTrue();
        List<String> ids = new ArrayList<>();
        for (JsonNode id : response.json()) {
            ids.add(id.asString());
        }
        return ids;
    }

    /** pos.inbound per warehouse of product P1, as "site/location=quantity". */
    private List<String> stock(String environmentId, String product) {
        String body = """
                {"filters": {"organizationId": ["usmf"],
                             "productId": ["%s"]}}""".formatted(product);
        IvsClient.Response response =
                client.post("/api/environment/" + environmentId + "/onhand/indexquery", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        for (JsonNode row : response.json()) {
            rows.add(row.path("dimensions").path("siteid").asString()
                    + "/"
                    + row.path("dimensions").path("locationid").asString()
                    + "="
                    + quantity(row, "pos", "inbound"));
        }
        return rows;
    }

    private List<String> stock(String product) {
        return stock(env, product);
    }

    private void twoWarehouses() {
        write(event("a1", "P1", "1", "11", 5));
        write(event("a2", "P1", "2", "21", 7));
        write(event("a3", "P2", "1", "11", 3));
    }

    @Test
    void ping_answers200Up() {
        IvsClient.Response ping = client.get("/health/ping");
        IvsClient.Response slash = client.get("/health/ping/");

        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.json().path("status").asString()).isEqualTo("UP");
        assertThat(slash.status()).isEqualTo(200);
    }

    @Test
    void readiness_reportsUpIncludingTheDatabase() {
        IvsClient.Response readiness = client.get("/actuator/health/readiness");

        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
        assertThat(readiness.json().path("components").path("db").path("status").asString())
                .as(readiness.body())
                .isEqualTo("UP");
    }

    @Test
    void prometheus_exposesJvmAndHttpMetrics() {
        write(event("m1", "P1", "1", "11", 1));

        IvsClient.Response metrics = client.get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "http_server_requests");
    }

    @Test
    void allPartitionIds_newEnvironment_isEmptyArray() {
        IvsClient.Response response = client.get(api("/allpartitionids"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().strip()).isEqualTo("[]");
    }

    @Test
    void allPartitionIds_afterWritesToTwoWarehouses_listsBothOnce() {
        twoWarehouses();

        assertThat(partitionIds(env)).containsExactly("usmf~1~11", "usmf~2~21");
    }

    @Test
    void allPartitionIds_valuesWithTilde_areEncoded() {
        write(event("t1", "P1", "a~b", "1%", 1));

        assertThat(partitionIds(env)).containsExactly("usmf~a%7Eb~1%25");
    }

    @Test
    void cleanupPartitions_oneWarehouse_deletesOnlyItsData() {
        twoWarehouses();

        IvsClient.Response cleanup =
                client.delete(api("/partitions/cleanupalldata"), "[\"usmf~1~11\"]");

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(cleanup.json().path("processingStatus").asString()).isEqualTo("success");
        assertThat(cleanup.json().path("message").asString()).startsWith("2 records");
        assertThat(partitionIds(env)).containsExactly("usmf~2~21");
        assertThat(stock("P1")).containsExactly("2/21=7");
        assertThat(stock("P2")).isEmpty();
    }

    @Test
    void cleanupPartitions_unknownPartition_deletesNothing() {
        twoWarehouses();

        IvsClient.Response cleanup =
                client.delete(api("/partitions/cleanupalldata"), "[\"usmf~9~99\"]");

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(cleanup.json().path("message").asString()).startsWith("0 records");
        assertThat(stock("P1")).containsExactly("1/11=5", "2/21=7");
    }

    @Test
    void cleanupPartitions_emptyOrMissingOrInvalidBody_is400AndDeletesNothing() {
        twoWarehouses();

        IvsClient.Response empty = client.delete(api("/partitions/cleanupalldata"), "[]");
        IvsClient.Response missing = client.delete(api("/partitions/cleanupalldata"), null);
        IvsClient.Response object = client.delete(api("/partitions/cleanupalldata"), "{\"id\": 1}");
        IvsClient.Response malformed =
                client.delete(api("/partitions/cleanupalldata"), "[\"usmf~1");

        for (IvsClient.Response response : List.of(empty, missing, object, malformed)) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().path("statusCode").asInt()).isEqualTo(400);
            assertThat(response.json().path("message").asString()).contains("body");
        }
        assertThat(partitionIds(env)).containsExactly("usmf~1~11", "usmf~2~21");
    }

    @Test
    void cleanupAll_withoutBody_deletesAllDataAndEventIds() {
        twoWarehouses();
        String configurationBefore = client.get(api("/configuration")).body();

        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), null);

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(cleanup.json().path("message").asString()).startsWith("3 records");
        assertThat(partitionIds(env)).isEmpty();
        assertThat(stock("P1")).isEmpty();
        assertThat(stock("P2")).isEmpty();
        assertThat(client.get(api("/configuration")).body()).isEqualTo(configurationBefore);

        write(event("a1", "P1", "1", "11", 5));
        write(event("a1", "P1", "1", "11", 5));
        assertThat(stock("P1")).containsExactly("1/11=5");
    }

    @Test
    void cleanupAll_emptyArray_deletesAllData() {
        twoWarehouses();

        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), "[]");

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(partitionIds(env)).isEmpty();
        write(event("a2", "P1", "2", "21", 1));
        assertThat(stock("P1")).containsExactly("2/21=1");
    }

    @Test
    void cleanup_nulCharacterInAPartitionId_is400AndDeletesNothing() {
        twoWarehouses();

        IvsClient.Response partitions = client.delete(
                api("/partitions/cleanupalldata"), "[\"usmf~1~11\", \"usmf~\\u0000\"]");
        IvsClient.Response all =
                client.delete(api("/cleanupalldata"), "[\"usmf~1~11\", \"\\u0000\"]");

        for (IvsClient.Response response : List.of(partitions, all)) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().path("message").asString()).contains("body[1]");
        }
        assertThat(partitionIds(env)).containsExactly("usmf~1~11", "usmf~2~21");
    }

    @Test
    void cleanupAll_withPartitionList_deletesOnlyThosePartitions() {
        twoWarehouses();

        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), "[\"usmf~2~21\"]");

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(cleanup.json().path("message").asString()).startsWith("1 records");
        assertThat(partitionIds(env)).containsExactly("usmf~1~11");
        assertThat(stock("P1")).containsExactly("1/11=5");
        assertThat(stock("P2")).containsExactly("1/11=3");
    }

    @Test
    void cleanupAll_invalidBody_is400AndDeletesNothing() {
        twoWarehouses();

        IvsClient.Response response = client.delete(api("/cleanupalldata"), "{\"all\": true}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("message").asString()).contains("body");
        assertThat(partitionIds(env)).containsExactly("usmf~1~11", "usmf~2~21");
    }

    @Test
    void cleanupAll_leavesOtherEnvironmentsAlone() {
        String other = "ops-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        twoWarehouses();
        write(other, event("a1", "P1", "1", "11", 9));

        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), null);

        assertThat(cleanup.status()).isEqualTo(200);
        assertThat(partitionIds(env)).isEmpty();
        assertThat(partitionIds(other)).containsExactly("usmf~1~11");
        assertThat(stock(other, "P1")).containsExactly("1/11=9");
        write(other, event("a1", "P1", "1", "11", 9));
        assertThat(stock(other, "P1")).containsExactly("1/11=9");
    }

    @Test
    void unknownEnvironment_is404OnEveryEndpoint() {
        String missing = "/api/environment/missing-" + UUID.randomUUID();
        String event = event("u1", "P1", "1", "11", 1);
        List<IvsClient.Response> responses = List.of(
                client.post(missing + "/onhand", event),
                client.post(missing + "/onhand/bulk", "[" + event + "]"),
                client.post(missing + "/setonhand/pos/bulk", "[" + event + "]"),
                client.post(missing + "/onhand/indexquery", """
                        {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}"""),
                client.get(missing + "/configuration"),
                client.get(missing + "/allpartitionids"),
                client.delete(missing + "/cleanupalldata", null),
                client.delete(missing + "/partitions/cleanupalldata", "[\"usmf~1~11\"]"));

        for (IvsClient.Response response : responses) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.json().path("processingStatus").asString()).isEqualTo("failure");
            assertThat(response.json().path("statusCode").asInt()).isEqualTo(404);
            assertThat(response.json().path("message").asString()).contains(missing.substring(17));
        }
        assertThat(client.get("/admin/environments").body()).doesNotContain(missing.substring(17));
    }

    @Test
    void adminEnvironments_listsCreatedEnvironments() {
        IvsClient.Response list = client.get("/admin/environments");

        assertThat(list.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode id : list.json()) {
            ids.add(id.asString());
        }
        assertThat(ids).contains(env);
    }

    private HttpResponse<String> getWithHeaders(String path, String... headers) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void requestId_givenByCaller_isEchoed() {
        HttpResponse<String> ping = getWithHeaders("/health/ping", "X-Request-Id", "trace-42.a_b");
        String missing = "missing-" + UUID.randomUUID();
        HttpResponse<String> error = getWithHeaders(
                "/api/environment/" + missing + "/configuration",
                "X-Request-Id",
                "err-7",
                "Authorization",
                "Bearer " + client.adminToken(missing));

        assertThat(ping.headers().firstValue("X-Request-Id")).hasValue("trace-42.a_b");
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.headers().firstValue("X-Request-Id")).hasValue("err-7");
    }

    @Test
    void requestId_missingOrUnsafe_isReplacedByAGeneratedOne() {
        HttpResponse<String> none = getWithHeaders("/health/ping");
        HttpResponse<String> unsafe = getWithHeaders("/health/ping", "X-Request-Id", "a b<script>");
        HttpResponse<String> tooLong =
                getWithHeaders("/health/ping", "X-Request-Id", "r".repeat(65));

        String generated = none.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(UUID.fromString(generated).toString()).isEqualTo(generated);
        String replaced = unsafe.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(replaced).isNotEqualTo("a b<script>");
        assertThat(UUID.fromString(replaced).toString()).isEqualTo(replaced);
        assertThat(tooLong.headers().firstValue("X-Request-Id").orElseThrow()).hasSize(36);
    }
}
