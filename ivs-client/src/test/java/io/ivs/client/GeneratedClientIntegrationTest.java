package io.ivs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.client.api.AuthenticationApi;
import io.ivs.client.api.EnvironmentsApi;
import io.ivs.client.api.OnHandApi;
import io.ivs.client.api.QueriesApi;
import io.ivs.client.api.ReservationsApi;
import io.ivs.client.model.HoldAnswer;
import io.ivs.client.model.IndexQuery;
import io.ivs.client.model.IndexQueryFilters;
import io.ivs.client.model.IvEnvelope;
import io.ivs.client.model.OnHandChange;
import io.ivs.client.model.OnHandRow;
import io.ivs.client.model.Reserve;
import io.ivs.client.model.ReserveOrder;
import io.ivs.client.model.TokenExchange;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The client generated from the committed OpenAPI document works against a real IVS: it signs
 * in (form and JSON bodies), creates an environment, posts on-hand, queries and reserves, and a
 * refused reservation surfaces as an {@link ApiException} carrying IV's envelope.
 */
class GeneratedClientIntegrationTest {
    private static final String ORG = "usmf";
    private static final Map<String, String> RED =
            Map.of("siteId", "1", "locationId", "11", "colorId", "red");

    private static TestServer server;
    private static ApiClient api;
    private static String env;

    @BeforeAll
    static void signIn() throws ApiException {
        server = TestServer.get();
        env = "client-" + UUID.randomUUID();
        ApiClient anonymous = new ApiClient();
        anonymous.updateBaseUri(server.url());
        AuthenticationApi authentication = new AuthenticationApi(anonymous);
        String assertion = authentication
                .signIn("client_credentials", TestServer.ADMIN_ID, TestServer.ADMIN_SECRET, null)
                .getAccessToken();
        String token = authentication
                .exchangeToken(
                        new TokenExchange()
                                .grantType("client_credentials")
                                .clientAssertionType("aad_app")
                                .clientAssertion(assertion)
                                .context(env)
                                .contextType("finops-env"),
                        "1.0")
                .getAccessToken();
        api = new ApiClient();
        api.updateBaseUri(server.url());
        api.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        assertThat(new EnvironmentsApi(api).createEnvironment(env).getCreated()).isTrue();
        server.enableReservations(env, token);
    }

    @Test
    void postQueryReserve_throughTheGeneratedClient() throws ApiException {
        IvEnvelope posted =
                new OnHandApi(api).postOnHandChange(env, change("Bike", "in-1", 5), "1.0");
        assertThat(posted.getProcessingStatus()).isEqualTo(IvEnvelope.ProcessingStatusEnum.SUCCESS);
        assertThat(availableToReserve("Bike")).isEqualByComparingTo("5");

        IvEnvelope reserved =
                new ReservationsApi(api).reserve(env, reserve("Bike", "order-1", 2), "1.0");

        assertThat(reserved.getStatusCode()).isEqualTo(200);
        assertThat(reserved.getReservationId()).isNotBlank();
        assertThat(availableToReserve("Bike")).isEqualByComparingTo("3");
        assertThat(new ReservationsApi(api).listReservations(env, ORG, "Bike", null, null))
                .singleElement()
                .satisfies(held -> assertThat(held.getQuantity()).isEqualTo("2"));
    }

    @Test
    void refusedReservation_isAnApiExceptionWithTheEnvelope() throws ApiException {
        new OnHandApi(api).postOnHandChange(env, change("Car", "in-2", 1), "1.0");
        ReservationsApi reservations = new ReservationsApi(api);

        assertThatThrownBy(() ->
                        reservations.reserve(env, reserve("Car", "order-too-big", 1_000), "1.0"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(500);
                    assertThat(e.getResponseBody()).contains("\"processingStatus\":\"failure\"");
                });
    }

    @Test
    void holdAndAllOrNothingOrder_throughTheGeneratedClient() throws ApiException {
        new OnHandApi(api).postOnHandChange(env, change("Scooter", "in-3", 4), "1.0");
        ReservationsApi reservations = new ReservationsApi(api);

        IvEnvelope held =
                reservations.reserve(env, reserve("Scooter", "cart-1", 1).ttlSeconds(600), "1.0");
        HoldAnswer confirmed = reservations.confirmHold(env, held.getReservationId());
        List<IvEnvelope> order = reservations.reserveBulk(
                env,
                new ReserveOrder()
                        .atomic(true)
                        .items(List.of(
                                reserve("Scooter", "line-1", 1), reserve("Scooter", "line-2", 50))),
                "1.0");

        assertThat(confirmed.getExpiresAt()).isNull();
        assertThat(order).extracting(IvEnvelope::getStatusCode).containsExactly(409, 500);
        assertThat(availableToReserve("Scooter")).isEqualByComparingTo("3");
    }

    private static BigDecimal availableToReserve(String product) throws ApiException {
        List<OnHandRow> rows = new QueriesApi(api)
                .queryOnHand(
                        env,
                        new IndexQuery()
                                .filters(new IndexQueryFilters()
                                        .organizationId(List.of(ORG))
                                        .productId(List.of(product))
                                        .putAdditionalProperty("siteId", List.of("1"))
                                        .putAdditionalProperty("locationId", List.of("11")))
                                .groupByValues(List.of("colorId"))
                                .returnNegative(true),
                        "1.0",
                        null,
                        null);
        assertThat(rows).hasSize(1);
        return rows.get(0).getQuantities().get("iv").get("availabletoreserve");
    }

    private static OnHandChange change(String product, String id, int inbound) {
        return new OnHandChange()
                .id(id)
                .organizationId(ORG)
                .productId(product)
                .dimensions(RED)
                .quantities(Map.of("pos", Map.of("inbound", BigDecimal.valueOf(inbound))));
    }

    private static Reserve reserve(String product, String id, int quantity) {
        return new Reserve()
                .id(id)
                .organizationId(ORG)
                .productId(product)
                .dimensions(RED)
                .quantityDataSource("iv")
                .modifier("softreserved")
                .quantity(BigDecimal.valueOf(quantity))
                .ifCheckAvailForReserv(true);
    }
}
