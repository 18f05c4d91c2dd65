package io.ivs.server.inventorylog;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.server.postgres.OnHandDeltas;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes inventory log lines inside the caller's transaction, while an {@link
 * InventoryLogContext} is open on the thread; every method does nothing otherwise. The stores
 * that commit inventory changes call it once, with the events they applied (never with replayed
 * or refused ones), so that no change commits without its lines.
 */
public final class InventoryLog {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A data-modifying common table expression that logs the rows of a {@code fresh} relation
     * (columns {@code id, pk, org, product, site, loc, dims, measure, qty}, one row per event and
     * measure) as one line per event, with the context of the request that sent the event; for
     * statements that apply changes in one round trip. Its five parameters are bound by {@link
     * #bindFreshChanges}.
     */
    public static final String FRESH_CHANGES_CTE = "logged as (insert into inventory_log"
            + " (product_key, environment_id, api, client_id, request_id, event_id,"
            + " organization_id, product_id, site_id, location_id, dimensions, quantities)"
            + " select f.pk, ?, c.api, c.client, c.request, f.id, f.org, f.product, f.site, f.loc,"
            + " f.dims::jsonb, jsonb_object_agg(f.measure, f.qty) from fresh f"
            + " join unnest(?::text[], ?::text[], ?::text[], ?::text[])"
            + " as c(id, api, client, request) on c.id = f.id"
            + " group by f.pk, f.id, f.org, f.product, f.site, f.loc, f.dims, c.api, c.client,"
            + " c.request)";

    private static final String INSERT = "insert into inventory_log (product_key,"
            + " environment_id, api, client_id, request_id, event_id, organization_id,"
            + " product_id, site_id, location_id, dimensions, quantities)"
            + " select l.pk, ?, l.api, l.client, l.request, l.id, l.org, l.product, l.site, l.loc,"
            + " l.dims::jsonb, l.qty::jsonb from unnest(?::text[], ?::text[], ?::text[],"
            + " ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[]) as l(api, client, request, pk, id, org, product, site, loc, dims, qty)";

    private InventoryLog() {}

    /** Whether lines are written on this thread now. */
    public static boolean recording() {
        return InventoryLogContext.current() != null;
    }

    /**
     * Binds the five parameters of {@link #FRESH_CHANGES_CTE} from {@code first} on, for the
     * events {@code eventIds} (each with its request's context; an event whose request logs
     * nothing gets no line); answers the next free index.
     */
    public static int bindFreshChanges(
            Connection con, PreparedStatement ps, int first, String env, List<String> eventIds)
            throws SQLException {
        List<String> ids = new ArrayList<>(eventIds.size());
        List<InventoryLogContext> contexts = new ArrayList<>(eventIds.size());
        for (String id : eventIds) {
            InventoryLogContext context = InventoryLogContext.of(id);
            if (context != null) {
                ids.add(id);
                contexts.add(context);
            }
        }
        ps.setString(first, env);
        ps.setArray(first + 1, OnHandDeltas.array(con, "text", ids, id -> id));
        bindContexts(con, ps, first + 2, contexts);
        return first + 5;
    }

    /** Binds the api, client and request id arrays of {@code contexts} from {@code first} on. */
    private static void bindContexts(
            Connection con, PreparedStatement ps, int first, List<InventoryLogContext> contexts)
            throws SQLException {
        ps.setArray(first, OnHandDeltas.array(con, "text", contexts, InventoryLogContext::api));
        ps.setArray(
                first + 1,
                OnHandDeltas.array(con, "text", contexts, InventoryLogContext::clientId));
        ps.setArray(
                first + 2,
                OnHandDeltas.array(con, "text", contexts, InventoryLogContext::requestId));
    }

    /** Logs applied change or set events: one line each, with the quantities they carried. */
    public static void changes(Connection con, String env, List<ResolvedChange> applied)
            throws SQLException {
        write(
                con,
                env,
                applied,
                change -> new Line(change.eventId().value(), change.record(), change.quantities()));
    }

    /**
     * Logs the deltas of a reservation or allocation transaction: one line per event and record.
     * A delta's event is the one it names, else the one whose answer names its reservation id,
     * else the only event the transaction applied, else none (an operation without events, such
     * as a clean-up job).
     */
    public static void deltas(
            Connection con,
            String env,
            List<Delta> deltas,
            Map<String, String> eventByReservation,
            @Nullable String onlyEvent)
            throws SQLException {
        if (!recording() || deltas.isEmpty()) {
            return;
        }
        Map<String, Line> lines = new LinkedHashMap<>();
        for (Delta delta : deltas) {
            String reservationId = delta.reservationId();
            String own = delta.eventId();
            String event = own != null
                    ? own
                    : reservationId == null ? null : eventByReservation.get(reservationId);
            String eventId = event != null ? event : onlyEvent == null ? "" : onlyEvent;
            String key = eventId + '\u0000' + OnHandDeltas.rowKey(delta.record());
            lines.computeIfAbsent(key, k -> new Line(eventId, delta.record(), new TreeMap<>()))
                    .quantities()
                    .merge(delta.measure(), delta.quantity(), BigDecimal::add);
        }
        write(con, env, List.copyOf(lines.values()), line -> line);
    }

    /** One line before it is written. */
    private record Line(
            String eventId, RecordKey record, SortedMap<MeasureRef, BigDecimal> quantities) {}

    private static <E> void write(
            Connection con, String env, List<E> events, Function<E, Line> toLine)
            throws SQLException {
        if (InventoryLogContext.current() == null || events.isEmpty()) {
            return;
        }
        List<Line> lines = new ArrayList<>(events.size());
        List<InventoryLogContext> contexts = new ArrayList<>(events.size());
        for (E event : events) {
            Line line = toLine.apply(event);
            InventoryLogContext context = InventoryLogContext.of(line.eventId());
            if (context != null) {
                lines.add(line);
                contexts.add(context);
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = con.prepareStatement(INSERT)) {
            ps.setString(1, env);
            bindContexts(con, ps, 2, contexts);
            ps.setArray(
                    5, OnHandDeltas.array(con, "uuid", lines, l -> l.record().productKey()));
            ps.setArray(6, OnHandDeltas.array(con, "text", lines, Line::eventId));
            ps.setArray(
                    7, OnHandDeltas.array(con, "text", lines, l -> l.record().organizationId()));
            ps.setArray(
                    8, OnHandDeltas.array(con, "text", lines, l -> l.record().productId()));
            ps.setArray(
                    9, OnHandDeltas.array(con, "text", lines, l -> OnHandDeltas.site(l.record())));
            ps.setArray(
                    10,
                    OnHandDeltas.array(con, "text", lines, l -> OnHandDeltas.location(l.record())));
            ps.setArray(
                    11,
                    OnHandDeltas.array(
                            con, "text", lines, l -> OnHandDeltas.dimensionsJson(l.record())));
            ps.setArray(
                    12,
                    OnHandDeltas.array(con, "text", lines, l -> quantitiesJson(l.quantities())));
            ps.executeUpdate();
        }
    }

    private static String quantitiesJson(SortedMap<MeasureRef, BigDecimal> quantities) {
        ObjectNode node = JSON.createObjectNode();
        quantities.forEach((measure, quantity) -> node.put(measure.qualified(), quantity));
        return JSON.writeValueAsString(node);
    }
}
