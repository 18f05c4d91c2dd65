package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.Alert;
import io.ivs.server.feed.ChangeFeed;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Which changes a subscription's filters let through. */
class SubscriptionTest {
    private static Subscription filtered(
            List<String> products, List<String> dataSources, List<String> measures) {
        return new Subscription(
                "wh_1",
                "env",
                "http://x.example/",
                "secret-secret-secret",
                "",
                products,
                dataSources,
                measures,
                Subscription.ACTIVE,
                0,
                Instant.EPOCH,
                null,
                null,
                null);
    }

    private static ChangeFeed.Change onhand(String product, String ds, String measure) {
        return new ChangeFeed.Change(
                1,
                Instant.EPOCH,
                "onhand",
                "usmf",
                product,
                Map.of(),
                Map.of(ds, Map.of(measure, BigDecimal.ONE)),
                null);
    }

    private static ChangeFeed.Change of(String kind, String product) {
        return new ChangeFeed.Change(
                2,
                Instant.EPOCH,
                kind,
                "usmf",
                product,
                Map.of(),
                null,
                kind.equals("schedule")
                        ? Map.of("pos", Map.of("inbound", Map.of("2026-12-01", BigDecimal.TEN)))
                        : null);
    }

    @Test
    void matches_noFilter_everyChange() {
        Subscription any = filtered(List.of(), List.of(), List.of());

        assertThat(any.matches(onhand("P1", "pos", "inbound"))).isTrue();
        assertThat(any.matches(of("deleted", "P2"))).isTrue();
    }

    @Test
    void matches_productFilter_onlyListedProducts() {
        Subscription products = filtered(List.of("P1", "P3"), List.of(), List.of());

        assertThat(products.matches(onhand("P1", "pos", "inbound"))).isTrue();
        assertThat(products.matches(onhand("P2", "pos", "inbound"))).isFalse();
        assertThat(products.matches(onhand("p1", "pos", "inbound"))).isFalse();
    }

    @Test
    void matches_dataSourceOrMeasure_whenTheValuesIncludeOne() {
        Subscription filter = filtered(List.of(), List.of("erp"), List.of("pos.outbound"));

        assertThat(filter.matches(onhand("P1", "erp", "unrestricted"))).isTrue();
        assertThat(filter.matches(onhand("P1", "pos", "outbound"))).isTrue();
        assertThat(filter.matches(onhand("P1", "pos", "inbound"))).isFalse();
        assertThat(filter.matches(of("schedule", "P1"))).isFalse();
        assertThat(filtered(List.of(), List.of("pos"), List.of()).matches(of("schedule", "P1")))
                .isTrue();
    }

    @Test
    void matches_deletedRecord_passesMeasureFiltersButNotTheProductFilter() {
        assertThat(filtered(List.of(), List.of("erp"), List.of()).matches(of("deleted", "P1")))
                .isTrue();
        assertThat(filtered(List.of("P2"), List.of("erp"), List.of()).matches(of("deleted", "P1")))
                .isFalse();
    }

    private static ChangeFeed.Change alert(String product) {
        return new ChangeFeed.Change(
                3,
                Instant.EPOCH,
                "alert",
                "usmf",
                product,
                Map.of(),
                null,
                null,
                new Alert(
                        "stock.out",
                        "r",
                        "iv.availabletoreserve",
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ONE));
    }

    private static Subscription typed(
            List<String> products, List<String> measures, List<String> eventTypes) {
        Subscription base = filtered(products, List.of(), measures);
        return new Subscription(
                base.id(),
                base.environmentId(),
                base.url(),
                base.secret(),
                base.description(),
                base.productIds(),
                base.dataSources(),
                base.measures(),
                base.status(),
                base.cursor(),
                base.createdAt(),
                null,
                null,
                null,
                eventTypes);
    }

    @Test
    void matches_subscriptionWithoutEventTypes_changesButNoAlert() {
        Subscription any = filtered(List.of(), List.of(), List.of());

        assertThat(any.eventTypes()).containsExactly("change");
        assertThat(any.matches(alert("P1"))).isFalse();
        assertThat(any.matches(onhand("P1", "pos", "inbound"))).isTrue();
    }

    @Test
    void matches_eventTypes_onlyTheChosenTypes_productFilterApplies_measureFilterDoesNot() {
        Subscription outs = typed(List.of("P1"), List.of("pos.inbound"), List.of("stock.out"));

        assertThat(outs.matches(alert("P1"))).isTrue();
        assertThat(outs.matches(alert("P2"))).isFalse();
        assertThat(outs.matches(onhand("P1", "pos", "inbound"))).isFalse();
        assertThat(typed(List.of(), List.of(), List.of("stock.back")).matches(alert("P1")))
                .isFalse();
    }
}
