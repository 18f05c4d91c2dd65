package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.server.alert.AlertService;
import io.ivs.server.alert.AlertStates;
import io.ivs.server.security.Role;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stock alerts: the products the environment's alert rules report out of stock, negative or
 * below their threshold (what the overview's health figures count), each linking to the
 * explorer; and, for {@code config.admin}, the rules themselves and a form that creates one
 * through {@link AlertService}, as {@code PUT /admin/environments/{env}/alerts/rules/{name}}
 * does.
 */
@Controller
class AlertPageController extends ConsoleController {
    static final int LISTED_MAX = 100;

    private final ConsoleAccess access;
    private final AlertStates states;
    private final AlertService rules;

    AlertPageController(ConsoleAccess access, AlertStates states, AlertService rules) {
        this.access = access;
        this.states = states;
        this.rules = rules;
    }

    /** The rule form as sent; every field is text, checked by the alert service. */
    record RuleForm(
            @Nullable String name,
            @Nullable String measure,
            @Nullable String organizationId,
            @Nullable String productId,
            @Nullable String dimensions,
            @Nullable String threshold) {
        static RuleForm empty() {
            return new RuleForm("", "iv.availabletoreserve", "", "", "", "0");
        }
    }

    @GetMapping("/console/env/{env}/alerts")
    String alerts(
            @PathVariable String env,
            @RequestParam(defaultValue = "below") String show,
            Authentication auth,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ, Role.CONFIG_ADMIN);
        return view(page, filter(show), RuleForm.empty(), model);
    }

    @PostMapping("/console/env/{env}/alerts/rules")
    String create(
            @PathVariable String env,
            RuleForm form,
            Authentication auth,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        try {
            rules.put(env, text(form.name()), Json.mapper().writeValueAsBytes(body(form)));
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("error", e.getMessage());
            return view(page, AlertStates.Filter.BELOW, form, model);
        }
        return "redirect:" + page.base() + "/alerts";
    }

    private String view(ConsolePage page, AlertStates.Filter filter, RuleForm form, Model model) {
        String env = page.environmentId();
        model.addAttribute("page", page);
        model.addAttribute("nav", "alerts");
        model.addAttribute("show", filter.name().toLowerCase(Locale.ROOT));
        model.addAttribute("counts", states.counts(env, OverviewController.COUNT_MAX));
        model.addAttribute(
                "alerted", states.alerted(env, filter, OverviewController.COUNT_MAX, LISTED_MAX));
        model.addAttribute("listedMax", LISTED_MAX);
        model.addAttribute("rules", page.admin() ? rules.list(env) : List.of());
        model.addAttribute("form", form);
        return "console/alerts";
    }

    private static AlertStates.Filter filter(String show) {
        try {
            return AlertStates.Filter.valueOf(show.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("show", "must be out, negative or below");
        }
    }

    /** The rule as the API's JSON body; blank optional fields are left out. */
    private static Map<String, Object> body(RuleForm form) {
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("organizationId", text(form.organizationId()));
        if (!text(form.productId()).isBlank()) {
            level.put("productId", text(form.productId()));
        }
        level.put(
                "dimensions", ConfigurationEditor.pairLines("dimensions", text(form.dimensions())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("measure", text(form.measure()));
        body.put("level", level);
        body.put("threshold", text(form.threshold()).isBlank() ? "0" : text(form.threshold()));
        return body;
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value;
    }
}
