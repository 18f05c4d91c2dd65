package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.adjustment.Adjustments;
import io.ivs.server.security.Role;
import io.ivs.server.web.IvEnvelope;
import io.ivs.server.web.Json;
import io.ivs.server.web.RequestIdFilter;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Adjustments: posting one (as {@code POST …/transaction/adjustment/bulk} would) and the newest
 * ones with their status. Listing needs {@code config.admin} or {@code inventory.read}; posting
 * needs {@code inventory.write}.
 */
@Controller
class AdjustmentPageController extends ConsoleController {
    static final int LISTED_MAX = 200;

    private final ConsoleAccess access;
    private final Adjustments adjustments;

    AdjustmentPageController(ConsoleAccess access, Adjustments adjustments) {
        this.access = access;
        this.adjustments = adjustments;
    }

    @GetMapping("/console/env/{env}/adjustments")
    String list(
            @PathVariable String env,
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> productId,
            @RequestParam Optional<String> fromDate,
            @RequestParam Optional<String> toDate,
            Authentication auth,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN, Role.INVENTORY_READ);
        model.addAttribute("page", page);
        model.addAttribute("nav", "adjustments");
        model.addAttribute("status", status.orElse(""));
        model.addAttribute("productId", productId.orElse(""));
        model.addAttribute("fromDate", fromDate.orElse(""));
        model.addAttribute("toDate", toDate.orElse(""));
        model.addAttribute("statuses", Adjustments.statuses());
        model.addAttribute("limit", LISTED_MAX);
        model.addAttribute(
                "adjustments",
                adjustments.listed(
                        EnvironmentId.of(env),
                        status.orElse(null),
                        blankless(productId),
                        date(fromDate, "fromDate"),
                        date(toDate, "toDate"),
                        LISTED_MAX));
        return "console/adjustments";
    }

    @PostMapping("/console/env/{env}/adjustments")
    String post(
            @PathVariable String env,
            @RequestParam Map<String, String> form,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        ObjectNode item = Json.mapper().createObjectNode();
        String id = form.getOrDefault("id", "").strip();
        item.put("id", id.isEmpty() ? "console-" + UUID.randomUUID() : id);
        for (String field : new String[] {
            "organizationId",
            "productId",
            "quantityDataSource",
            "physicalMeasure",
            "quantity",
            "externalReferenceCategory",
            "externalReferenceId",
            "fnoJournalNameId",
            "costPrice",
            "transDate"
        }) {
            String value = form.getOrDefault(field, "").strip();
            if (!value.isEmpty()) {
                item.put(field, value);
            }
        }
        ObjectNode dimensions = item.putObject("dimensions");
        dimensions.put("siteId", form.getOrDefault("siteId", "").strip());
        dimensions.put("locationId", form.getOrDefault("locationId", "").strip());
        boolean sync = "on".equals(form.get("createWithIVSync"));
        IvEnvelope answer = adjustments.postOne(
                EnvironmentId.of(env),
                item,
                sync,
                new Adjustments.Poster(page.clientId(), requestId()));
        if (answer.statusCode() == 200) {
            redirect.addFlashAttribute(
                    "notice",
                    "Adjustment '" + item.path("id").asString() + "' posted"
                            + (sync ? " and applied to on-hand." : "; the sync applies it."));
        } else {
            redirect.addFlashAttribute("failure", "Not posted: " + answer.message());
        }
        return "redirect:" + page.base() + "/adjustments";
    }

    /** The request's id, as the API records it, so that the adjustment's log lines carry it. */
    private static String requestId() {
        String id = MDC.get(RequestIdFilter.MDC_KEY);
        return id == null ? "" : id;
    }

    private static @Nullable String blankless(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).map(String::strip).orElse(null);
    }

    private static @Nullable LocalDate date(Optional<String> text, String field) {
        String value = blankless(text);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + value + "' is not a yyyy-MM-dd date");
        }
    }
}
