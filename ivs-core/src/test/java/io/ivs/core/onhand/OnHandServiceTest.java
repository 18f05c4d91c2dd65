package io.ivs.core.onhand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvariantViolation;
import io.ivs.core.TestConfigurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.measure.Quantities;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

class OnHandServiceTest {
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2022-02-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> WAREHOUSE = Map.of("siteId", "1", "locationId", "11");

    /** A store whose {@code apply} answers as told; it supports nothing else. */
    private static OnHandStore storeAnswering(
            Function<List<ResolvedChange>, List<WriteOutcome>> answer) {
        return (OnHandStore) Proxy.newProxyInstance(
                OnHandStore.class.getClassLoader(),
                new Class<?>[] {OnHandStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("apply")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    @SuppressWarnings("unchecked")
                    List<ResolvedChange> changes = (List<ResolvedChange>) args[2];
                    return answer.apply(changes);
                });
    }

    private static OnHandChange event(String id) {
        return new OnHandChange(
                id,
                "usmf",
                "T-shirt",
                null,
                WAREHOUSE,
                Quantities.of("pos", "inbound", BigDecimal.ONE),
                null);
    }

    private static WriteOutcome applied(ResolvedChange change) {
        return new WriteOutcome(change.eventId(), WriteOutcome.Status.APPLIED, "");
    }

    @Test
    void write_storeAnswersEachItem_answersInRequestOrder() {
        OnHandService service = new OnHandService(
                storeAnswering(c -> c.stream().map(OnHandServiceTest::applied).toList()),
                env -> TestConfigurations.byLocation(),
                CLOCK);

        List<ItemResult> results =
                service.write(EnvironmentId.of("env"), List.of(event("a"), event("b")), null);

        assertThat(results).extracting(ItemResult::eventId).containsExactly("a", "b");
    }

    @Test
    void write_storeAnswersFewerItems_throwsInvariantViolation() {
        OnHandService service = new OnHandService(
                storeAnswering(c -> List.of(applied(c.getFirst()))),
                env -> TestConfigurations.byLocation(),
                CLOCK);

        assertThatThrownBy(() -> service.write(
                        EnvironmentId.of("env"), List.of(event("a"), event("b")), null))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessage("invariant violated: 1 outcomes to 2 items");
    }
}
