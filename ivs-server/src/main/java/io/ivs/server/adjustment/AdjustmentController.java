package io.ivs.server.adjustment;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.BulkRequests;
import io.ivs.server.web.IvEnvelope;
import io.ivs.server.web.JsonAnswers;
import io.ivs.server.web.NotFoundException;
import io.ivs.server.web.RequestIdFilter;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adjustment transactions (the original's business layer): posting in bulk, the ERP's collect
 * and acknowledge, and a paged list with filters.
 */
@RestController
class AdjustmentController {
    private static final String BASE = "/api/environment/{environmentId}/transaction/adjustment";
    static final int PAGE_SIZE_MAX = 1000;

    private final EnvironmentService environments;
    private final Adjustments adjustments;

    AdjustmentController(EnvironmentService environments, Adjustments adjustments) {
        this.environments = environments;
        this.adjustments = adjustments;
    }

    @PostMapping(BASE + "/bulk")
    void post(
            @PathVariable String environmentId,
            @RequestParam(defaultValue = "false") boolean createWithIVSync,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        Adjustments.Poster poster = new Adjustments.Poster(clientId(), requestId());
        List<IvEnvelope> answers = BulkRequests.handle(
                body,
                AdjustmentRequests::adjustment,
                items -> adjustments.post(environment, items, createWithIVSync, poster),
                answer -> answer,
                (id, message) -> IvEnvelope.failure(id, 400, message));
        JsonAnswers.write(response, 200, answers);
    }

    /** The ERP takes the adjustments it has not yet acknowledged, summed per journal. */
    @PostMapping(BASE + "/collect")
    Map<String, @Nullable Object> collect(
            @PathVariable String environmentId,
            @RequestParam(defaultValue = "" + Adjustments.COLLECT_ADJUSTMENTS_MAX)
                    int maxAdjustments) {
        EnvironmentId environment = environments.requireKnown(environmentId);
        if (maxAdjustments < 1 || maxAdjustments > Adjustments.COLLECT_ADJUSTMENTS_MAX) {
            throw new InvalidInputException(
                    "maxAdjustments", "must be 1 to " + Adjustments.COLLECT_ADJUSTMENTS_MAX);
        }
        return AdjustmentJson.collection(adjustments.collect(environment, maxAdjustments));
    }

    @PostMapping(BASE + "/collections/{collectionId}/acknowledge")
    Map<String, Object> acknowledge(
            @PathVariable String environmentId, @PathVariable String collectionId) {
        EnvironmentId environment = environments.requireKnown(environmentId);
        int acknowledged = adjustments.acknowledge(environment, collectionId);
        if (acknowledged == 0) {
            throw new NotFoundException("collectionId: no collection '" + collectionId
                    + "' to acknowledge; it may have timed out and been collected again");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("collectionId", collectionId);
        answer.put("acknowledged", acknowledged);
        answer.put("processingStatus", "success");
        answer.put("statusCode", 200);
        return answer;
    }

    @GetMapping(BASE)
    Map<String, Object> list(
            @PathVariable String environmentId,
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> organizationId,
            @RequestParam Optional<String> productId,
            @RequestParam Optional<String> fromDate,
            @RequestParam Optional<String> toDate,
            @RequestParam Optional<Long> before,
            @RequestParam(defaultValue = "100") int pageSize) {
        EnvironmentId environment = environments.requireKnown(environmentId);
        if (pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
            throw new InvalidInputException("pageSize", "must be 1 to " + PAGE_SIZE_MAX);
        }
        LocalDate from = date(fromDate, "fromDate");
        LocalDate to = date(toDate, "toDate");
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("toDate", "is before fromDate");
        }
        AdjustmentFilter filter = new AdjustmentFilter(
                StoredAdjustment.parseStatus(status.orElse(null)),
                blankToNull(organizationId.orElse(null)),
                blankToNull(productId.orElse(null)),
                from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                before.orElse(null));
        List<StoredAdjustment> page = adjustments.list(environment, filter, pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Value", page.stream().map(AdjustmentJson::adjustment).toList());
        answer.put(
                "nextBefore",
                page.size() < pageSize ? "" : String.valueOf(page.getLast().seq()));
        return answer;
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static @Nullable LocalDate date(Optional<String> text, String field) {
        if (text.isEmpty() || text.get().isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.get().strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + text.get() + "' is not a yyyy-MM-dd date");
        }
    }

    private static String clientId() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller == null ? "" : caller.getName();
    }

    private static String requestId() {
        String id = MDC.get(RequestIdFilter.MDC_KEY);
        return id == null ? "" : id;
    }
}
