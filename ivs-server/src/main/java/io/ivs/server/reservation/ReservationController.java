package io.ivs.server.reservation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Rejection;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.job.JobStore;
import io.ivs.core.onhand.QueryResults;
import io.ivs.core.reservation.HoldResult;
import io.ivs.core.reservation.HoldTerms;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationService;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.core.reservation.ReserveCommand;
import io.ivs.core.reservation.UnreserveCommand;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.onhand.OnHandRequests;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.BulkRequests;
import io.ivs.server.web.ItemCounters;
import io.ivs.server.web.ItemCounters.Operation;
import io.ivs.server.web.Json;
import io.ivs.server.web.JsonAnswers;
import io.ivs.server.web.NotFoundException;
import io.ivs.server.web.RejectionStatus;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Soft reservations (spec §2.4–§2.6): reserve, unreserve, their bulk forms, the clean-up job and
 * its progress, and a read API listing what is held. A failed checked reservation answers with
 * the status IV uses (500) unless {@code ivs.reservation.rejection-status} says 409 (A3); see
 * {@link #status(Rejection, int)}.
 */
@RestController
public class ReservationController {
    private static final String BASE = "/api/environment/{environmentId}";
    static final int HOLDINGS_LIMIT_MAX = 1_000;
    static final int IV_REJECTION_STATUS = RejectionStatus.IV_REJECTION_STATUS;

    private final EnvironmentService environments;
    private final ReservationService reservations;
    private final ReservationStore store;
    private final JobStore jobs;
    private final int rejectionStatus;
    private final ItemCounters counters;

    public ReservationController(
            EnvironmentService environments,
            ReservationService reservations,
            ReservationStore store,
            JobStore jobs,
            @Value("${ivs.reservation.rejection-status:500}") int rejectionStatus,
            ItemCounters counters) {
        this.counters = counters;
        this.environments = environments;
        this.reservations = reservations;
        this.store = store;
        this.jobs = jobs;
        if (rejectionStatus != IV_REJECTION_STATUS && rejectionStatus != 409) {
            throw new IllegalArgumentException("ivs.reservation.rejection-status: "
                    + rejectionStatus + " is not supported; use 500 (as the original service)"
                    + " or 409");
        }
        this.rejectionStatus = rejectionStatus;
    }

    @PostMapping(BASE + "/onhand/reserve")
    void reserve(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        ReserveCommand command = reserveCommand(single(body), "");
        ReservationEnvelope answer =
                envelope(reserve(environment, List.of(command)).get(0), "ohre~");
        JsonAnswers.write(response, answer.statusCode(), answer);
    }

    @PostMapping(BASE + "/onhand/reserve/bulk")
    void reserveBulk(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonNode parsed = Json.parse(body);
        if (parsed.isObject()) {
            JsonAnswers.write(response, 200, order(environment, parsed));
            return;
        }
        JsonAnswers.write(
                response,
                200,
                bulk(
                        body,
                        Operation.RESERVE,
                        this::reserveCommand,
                        commands -> reserve(environment, commands)));
    }

    /**
     * The object form of the reserve bulk body (an IVS extension): {@code {"atomic": true,
     * "items": [...]}} reserves every item or none; with {@code atomic} false or absent it is
     * the array form.
     */
    private List<ReservationEnvelope> order(EnvironmentId environment, JsonNode body) {
        boolean atomic = Json.optionalBoolean(body, "atomic", "", false);
        JsonNode items = Json.field(body, "items", "");
        if (items == null) {
            throw new InvalidInputException("items", "is required: the array of reserve events");
        }
        Json.array(items, "items");
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String name = entry.getKey();
            if (!name.equalsIgnoreCase("atomic") && !name.equalsIgnoreCase("items")) {
                throw new InvalidInputException(name, "is not a field of a reserve order");
            }
        }
        byte[] array = Json.mapper().writeValueAsBytes(items);
        if (!atomic) {
            return bulk(
                    array, Operation.RESERVE, this::reserveCommand, cs -> reserve(environment, cs));
        }
        return AtomicOrderAnswers.answer(
                Json.array(items, "items"),
                this::reserveCommand,
                commands -> counters.reservations(
                        Operation.RESERVE, reservations.reserveAtomic(environment, commands)),
                result -> envelope(result, "ohre~"),
                status(Rejection.ORDER_REFUSED));
    }

    /**
     * Moves a hold's expiry (an IVS extension): the body gives {@code expiresAt} or
     * {@code ttlSeconds}. A reservation that does not expire, or a hold that has lapsed, answers
     * 409; an unknown reservation 404.
     */
    @PostMapping(BASE + "/onhand/reservations/{reservationId}/extend")
    void extendHold(
            @PathVariable String environmentId,
            @PathVariable String reservationId,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonNode node = Json.object(Json.parse(body), "body");
        HoldTerms terms = holdTerms(node, "");
        if (terms == null) {
            throw new InvalidInputException("expiresAt", "give expiresAt or ttlSeconds");
        }
        holdAnswer(response, reservations.extend(environment, reservationId, terms));
    }

    /** Confirms a hold (an IVS extension): the reservation no longer expires. */
    @PostMapping(BASE + "/onhand/reservations/{reservationId}/confirm")
    void confirmHold(
            @PathVariable String environmentId,
            @PathVariable String reservationId,
            HttpServletResponse response)
            throws IOException {
        EnvironmentId environment = environments.requireKnown(environmentId);
        holdAnswer(response, reservations.confirm(environment, reservationId));
    }

    private void holdAnswer(HttpServletResponse response, HoldResult result) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        int statusCode = 200;
        switch (result) {
            case HoldResult.Held held -> {
                answer.put("reservationId", held.reservationId());
                answer.put("quantity", QueryResults.plain(held.quantity()));
                Instant expiresAt = held.expiresAt();
                answer.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
                answer.put("processingStatus", "success");
                answer.put("message", "");
            }
            case HoldResult.Refused refused -> {
                statusCode = status(refused.reason());
                answer.put("reservationId", refused.reservationId());
                answer.put("processingStatus", "failure");
                answer.put("message", refused.message());
            }
        }
        answer.put("statusCode", statusCode);
        JsonAnswers.write(response, statusCode, answer);
    }

    /** The hold terms of a reserve or extend body, or null when it gives none. */
    static @Nullable HoldTerms holdTerms(JsonNode node, String path) {
        String expiresAt = Json.optionalText(node, "expiresAt", path);
        JsonNode ttl = Json.field(node, "ttlSeconds", path);
        if (expiresAt == null && ttl == null) {
            return null;
        }
        Instant at = null;
        if (expiresAt != null) {
            try {
                at = Instant.parse(expiresAt.strip());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(
                        Json.join(path, "expiresAt"),
                        "must be an ISO-8601 instant such as 2026-05-01T12:00:00Z");
            }
        }
        Long seconds = null;
        if (ttl != null) {
            BigDecimal value = Json.decimal(ttl, Json.join(path, "ttlSeconds"));
            try {
                seconds = value.longValueExact();
            } catch (ArithmeticException e) {
                throw new InvalidInputException(
                        Json.join(path, "ttlSeconds"), "must be a whole number of seconds");
            }
        }
        if (at != null && seconds != null) {
            throw new InvalidInputException(
                    Json.join(path, "ttlSeconds"), "give either expiresAt or ttlSeconds, not both");
        }
        return new HoldTerms(at, seconds);
    }

    @PostMapping(BASE + "/onhand/unreserve")
    void unreserve(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        UnreserveCommand command = unreserveCommand(single(body), "");
        ReservationEnvelope answer =
                envelope(unreserve(environment, List.of(command)).get(0), "ohoe~");
        JsonAnswers.write(response, answer.statusCode(), answer);
    }

    @PostMapping(BASE + "/onhand/unreserve/bulk")
    void unreserveBulk(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonAnswers.write(
                response,
                200,
                bulk(
                        body,
                        Operation.UNRESERVE,
                        this::unreserveCommand,
                        commands -> unreserve(environment, commands)));
    }

    /** Reverses the reservations of the listed data sources ([] = all) as a job (§2.6). */
    @PostMapping(BASE + "/onhand/reserve/resyncjob")
    Map<String, Object> resync(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        EnvironmentId environment = environments.requireKnown(environmentId);
        List<String> dataSources = body == null || body.length == 0
                ? List.of()
                : Json.stringList(Json.parse(body), "body");
        String jobId = jobs.start(environment, "ReservationResyncJob");
        try {
            int reversed = reservations.cleanUp(environment, dataSources);
            jobs.finish(jobId, "Completed", reversed + " reservations reversed");
        } catch (RuntimeException e) {
            jobs.finish(jobId, "Failed", e.getMessage() == null ? "failed" : e.getMessage());
            throw e;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", jobId);
        answer.put("id", jobId);
        answer.put("processingStatus", "success");
        answer.put("message", "");
        answer.put("statusCode", 200);
        return answer;
    }

    @GetMapping(BASE + "/getJobProgress")
    Map<String, Object> jobProgress(
            @PathVariable String environmentId, @RequestParam String jobId) {
        environments.requireExisting(environmentId);
        JobStore.Job job = jobs.find(EnvironmentId.of(environmentId), jobId)
                .orElseThrow(() -> new NotFoundException("jobId: no job '" + jobId + "'"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", job.id());
        answer.put("status", job.status());
        answer.put("message", job.message());
        answer.put("processingStatus", job.status().equals("Failed") ? "failure" : "success");
        answer.put("statusCode", 200);
        return answer;
    }

    /** What is held: reservations by product or id, with their remaining quantity. */
    @GetMapping("/admin/environments/{environmentId}/reservations")
    List<Map<String, Object>> holdings(
            @PathVariable String environmentId,
            @RequestParam Optional<String> organizationId,
            @RequestParam Optional<String> productId,
            @RequestParam Optional<String> reservationId,
            @RequestParam(defaultValue = "100") int limit) {
        environments.requireExisting(environmentId);
        if (limit < 1 || limit > HOLDINGS_LIMIT_MAX) {
            throw new InvalidInputException("limit", "must be 1 to " + HOLDINGS_LIMIT_MAX);
        }
        return store
                .list(
                        EnvironmentId.of(environmentId),
                        organizationId,
                        productId,
                        reservationId,
                        limit)
                .stream()
                .map(h -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("reservationId", h.reservationId());
                    row.put("organizationId", h.organizationId());
                    row.put("productId", h.productId());
                    row.put("dataSource", h.measure().dataSource());
                    row.put("measure", h.measure().measure());
                    row.put("dimensions", h.dimensions());
                    row.put("quantity", h.quantity().stripTrailingZeros().toPlainString());
                    row.put("updatedAt", h.updatedAt().toString());
                    Instant expiresAt = h.expiresAt();
                    row.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
                    return row;
                })
                .toList();
    }

    private List<ReservationResult> reserve(
            EnvironmentId environment, List<ReserveCommand> commands) {
        return counters.reservations(
                Operation.RESERVE, reservations.reserve(environment, commands));
    }

    private List<ReservationResult> unreserve(
            EnvironmentId environment, List<UnreserveCommand> commands) {
        return counters.reservations(
                Operation.UNRESERVE, reservations.unreserve(environment, commands));
    }

    private static JsonNode single(byte @Nullable [] body) {
        JsonNode node = Json.parse(body);
        if (node.isArray()) {
            throw new InvalidInputException(
                    "body", "must be one event object; post arrays to the" + " .../bulk endpoint");
        }
        return node;
    }

    private <C> List<ReservationEnvelope> bulk(
            byte @Nullable [] body,
            Operation operation,
            java.util.function.BiFunction<JsonNode, String, C> parse,
            Function<List<C>, List<ReservationResult>> process) {
        String idPrefix = operation == Operation.RESERVE ? "ohre~" : "ohoe~";
        return BulkRequests.handle(
                body, parse, process, result -> envelope(result, idPrefix), (id, message) -> {
                    counters.unreadable(operation);
                    return new ReservationEnvelope(
                            null, null, idPrefix + (id == null ? "" : id), "failure", message, 400);
                });
    }

    private ReserveCommand reserveCommand(JsonNode node, String path) {
        Json.object(node, path.isEmpty() ? "body" : path);
        JsonNode quantity = Json.field(node, "quantity", path);
        return new ReserveCommand(
                Json.requiredText(node, "id", path),
                Json.requiredText(node, "organizationId", path),
                Json.requiredText(node, "productId", path),
                Json.optionalText(node, "dimensionDataSource", path),
                Json.stringMap(Json.field(node, "dimensions", path), Json.join(path, "dimensions")),
                Json.optionalText(node, "quantityDataSource", path),
                Json.optionalText(node, "modifier", path),
                quantity == null ? null : Json.decimal(quantity, Json.join(path, "quantity")),
                OnHandRequests.quantitiesOrEmpty(node, path),
                Json.optionalBoolean(node, "ifCheckAvailForReserv", path, true),
                holdTerms(node, path));
    }

    private UnreserveCommand unreserveCommand(JsonNode node, String path) {
        Json.object(node, path.isEmpty() ? "body" : path);
        JsonNode offset = Json.field(node, "OffsetQty", path);
        if (offset == null) {
            throw new InvalidInputException(Json.join(path, "OffsetQty"), "is required");
        }
        return new UnreserveCommand(
                Json.requiredText(node, "id", path),
                Json.requiredText(node, "organizationId", path),
                Json.requiredText(node, "productId", path),
                Json.optionalText(node, "dimensionDataSource", path),
                Json.stringMap(Json.field(node, "dimensions", path), Json.join(path, "dimensions")),
                Json.requiredText(node, "reservationId", path),
                Json.decimal(offset, Json.join(path, "OffsetQty")));
    }

    private ReservationEnvelope envelope(ReservationResult result, String idPrefix) {
        String id = idPrefix + result.eventId();
        return switch (result) {
            case ReservationResult.Reserved r ->
                new ReservationEnvelope(r.reservationId(), null, id, "success", "", 200);
            case ReservationResult.Unreserved u ->
                new ReservationEnvelope(
                        u.reservationId(),
                        QueryResults.plain(u.invalid()),
                        id,
                        u.partial() ? "partialSuccess" : "success",
                        u.partial()
                                ? "the offset exceeds the reserved quantity by "
                                        + QueryResults.plain(u.invalid()).toPlainString()
                                : "",
                        200);
            case ReservationResult.Rejected r ->
                new ReservationEnvelope(
                        r.reservationId(), null, id, "failure", r.message(), status(r.reason()));
        };
    }

    private int status(Rejection reason) {
        return status(reason, rejectionStatus);
    }

    /** The status of a rejection (web/RejectionStatus), with this service's setting. */
    static int status(Rejection reason, int rejectionStatus) {
        return RejectionStatus.of(reason, rejectionStatus);
    }
}
