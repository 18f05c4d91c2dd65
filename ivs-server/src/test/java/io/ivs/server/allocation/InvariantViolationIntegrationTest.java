package io.ivs.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A broken invariant met inside a request (an allocation bucket below zero or a stored answer of
 * an unknown type, which only damage outside IVS can produce) answers 500 with the request id,
 * never the internals, is logged as an error with that id, and writes nothing: the check runs
 * inside the transaction.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvariantViolationIntegrationTest extends AllocationTestSupport {
    @Autowired
    JdbcTemplate jdbc;

    /** Allocation and reservations on, as the allocation tests use them. */
    @BeforeEach
    void enable() {
        enableAllocationWithPosSupply();
    }

    /** Allocates 10 to the US bucket, then damages the bucket to hold -1. */
    private void damageBucket() {
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a1", US, 10));
        int damaged = jdbc.update(
                "update allocation_bucket set allocated = -1 where environment_id = ?", env);
        assertThat(damaged).isEqualTo(1);
    }

    private static String requestId() {
        return "invariant-" + UUID.randomUUID();
    }

    private static void assertInternalError(IvsClient.Response response, String requestId) {
        assertThat(response.status()).as(response.body()).isEqualTo(500);
        JsonNode body = response.json();
        assertThat(body.path("statusCode").asInt()).as(response.body()).isEqualTo(500);
        assertThat(body.path("processingStatus").asString()).isEqualTo("failure");
        assertThat(body.path("message").asString())
                .isEqualTo("internal error; see the server log for request id " + requestId);
    }

    @Test
    void unallocate_bucketBelowZero_is500WithRequestIdLoggedAndNothingWritten(
            CapturedOutput output) {
        damageBucket();
        String requestId = requestId();

        IvsClient.Response response = client.post(
                api("/allocation/unallocate"),
                IvsClient.json(request("u1", US, 1)),
                "X-Request-Id",
                requestId);

        assertInternalError(response, requestId);
        assertThat(output.getOut())
                .containsPattern("ERROR \\[" + requestId + "\\] .*invariant violated: bucket"
                        + " \\[Online, VIP, US\\] of product 'Bike' .*allocated -1");
        BigDecimal allocated = jdbc.queryForObject(
                "select allocated from allocation_bucket where environment_id = ?",
                BigDecimal.class,
                env);
        assertThat(allocated).isEqualByComparingTo("-1");
        Integer recorded = jdbc.queryForObject(
                "select count(*) from processed_event where environment_id = ? and event_id = ?",
                Integer.class,
                env,
                "u1");
        assertThat(recorded).isZero();
        assertThat(onHand("@iv.@allocated")).isEqualTo("10");
    }

    /** Only IVS writes the stored answers of reserve events, in two types it can read back. */
    @Test
    void reserveRetried_storedAnswerOfUnknownType_is500WithRequestIdAndWritesNothing(
            CapturedOutput output) {
        String body = IvsClient.json(IvsClient.map(
                "id",
                "r1",
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                RED,
                "quantityDataSource",
                "iv",
                "modifier",
                "softreserved",
                "quantity",
                1,
                "ifCheckAvailForReserv",
                false));
        IvsClient.Response first = client.post(api("/onhand/reserve"), body);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        int damaged = jdbc.update(
                "update processed_event set result = replace(result, '\"reserved\"',"
                        + " '\"renamed\"') where environment_id = ? and event_id = ?",
                env,
                "r1");
        assertThat(damaged).isEqualTo(1);
        String requestId = requestId();

        IvsClient.Response retry =
                client.post(api("/onhand/reserve"), body, "X-Request-Id", requestId);

        assertInternalError(retry, requestId);
        assertThat(output.getOut())
                .containsPattern("ERROR \\[" + requestId + "\\] .*invariant violated: unknown"
                        + " stored answer .*renamed");
        assertThat(onHand("iv.softreserved")).isEqualTo("1");
    }

    @Test
    void query_bucketBelowZero_is500WithRequestId(CapturedOutput output) {
        damageBucket();
        String requestId = requestId();

        IvsClient.Response response = client.post(
                api("/allocation/query"),
                IvsClient.json(IvsClient.map(
                        "organizationId", ORG, "productId", BIKE, "dimensions", RED, "groups", US)),
                "X-Request-Id",
                requestId);

        assertInternalError(response, requestId);
        assertThat(output.getOut()).contains("[" + requestId + "]", "invariant violated");
    }
}
