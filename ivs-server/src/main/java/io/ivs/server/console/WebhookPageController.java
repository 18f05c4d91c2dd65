package io.ivs.server.console;

import io.ivs.server.security.Role;
import io.ivs.server.webhook.Subscription;
import io.ivs.server.webhook.WebhookService;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.Objects;

/**
 * Webhook subscriptions of an environment, for {@code config.admin}: list, create (the secret
 * is shown this once), pause, resume, replay from a feed position, and dead letters with their
 * replay. Every action goes through {@link WebhookService}, as the admin API's routes do, so the
 * rules and messages are the same.
 */
@Controller
class WebhookPageController extends ConsoleController {
    static final int DEAD_LETTERS_SHOWN = 100;

    /** A subscription and its dead letters count, as listed. */
    record Row(Subscription subscription, int deadLetters) {}

    private final ConsoleAccess access;
    private final WebhookService webhooks;

    WebhookPageController(ConsoleAccess access, WebhookService webhooks) {
        this.access = access;
        this.webhooks = webhooks;
    }

    @GetMapping("/console/env/{env}/webhooks")
    String list(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        model.addAttribute("page", page);
        model.addAttribute("nav", "webhooks");
        model.addAttribute(
                "rows",
                webhooks.list(env).stream()
                        .map(s -> new Row(s, webhooks.deadLetterCount(s.id())))
                        .toList());
        return "console/webhooks";
    }

    @GetMapping("/console/env/{env}/webhooks/{id}/dead-letters")
    String deadLetters(
            @PathVariable String env, @PathVariable String id, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        model.addAttribute("page", page);
        model.addAttribute("nav", "webhooks");
        model.addAttribute("subscription", webhooks.get(env, id));
        model.addAttribute("letters", webhooks.deadLetters(env, id, DEAD_LETTERS_SHOWN));
        model.addAttribute("shownMax", DEAD_LETTERS_SHOWN);
        return "console/dead-letters";
    }

    @PostMapping("/console/env/{env}/webhooks")
    String create(
            @PathVariable String env,
            @RequestParam String url,
            @RequestParam(defaultValue = "") String productIds,
            @RequestParam(defaultValue = "") String dataSources,
            @RequestParam(defaultValue = "") String measures,
            @RequestParam(defaultValue = "") String eventTypes,
            @RequestParam(defaultValue = "") String description,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        WebhookService.Created created = webhooks.create(
                env,
                new WebhookService.NewSubscription(
                        url.strip(),
                        ConfigurationEditor.list("productIds", productIds),
                        ConfigurationEditor.list("dataSources", dataSources),
                        ConfigurationEditor.list("measures", measures),
                        ConfigurationEditor.list("eventTypes", eventTypes),
                        null,
                        description.strip(),
                        null));
        redirect.addFlashAttribute(
                "notice",
                "Subscription " + created.subscription().id() + " created. Its signing secret,"
                        + " shown only now: " + created.secret());
        return "redirect:" + page.base() + "/webhooks";
    }

    @PostMapping("/console/env/{env}/webhooks/{id}/pause")
    String pause(
            @PathVariable String env,
            @PathVariable String id,
            Authentication auth,
            RedirectAttributes redirect) {
        return status(env, id, false, auth, redirect);
    }

    @PostMapping("/console/env/{env}/webhooks/{id}/resume")
    String resume(
            @PathVariable String env,
            @PathVariable String id,
            Authentication auth,
            RedirectAttributes redirect) {
        return status(env, id, true, auth, redirect);
    }

    private String status(
            String env,
            String id,
            boolean active,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        webhooks.status(env, id, active);
        redirect.addFlashAttribute(
                "notice", "Subscription " + id + (active ? " resumed." : " paused."));
        return "redirect:" + page.base() + "/webhooks";
    }

    @PostMapping("/console/env/{env}/webhooks/{id}/replay")
    String replay(
            @PathVariable String env,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String after,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        String position = after == null || after.isBlank() ? null : after.strip();
        Subscription moved = webhooks.replayFrom(env, id, position);
        redirect.addFlashAttribute(
                "notice",
                "Subscription " + id + " delivers again after position " + moved.cursor() + ".");
        return "redirect:" + page.base() + "/webhooks";
    }

    @PostMapping("/console/env/{env}/webhooks/{id}/dead-letters/replay")
    String replayDeadLetters(
            @PathVariable String env,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable List<String> deliveryId,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        int marked = webhooks.replayDeadLetters(env, id, deliveryId);
        redirect.addFlashAttribute(
                "notice",
                marked + " dead letter(s) of " + id + " will be delivered again"
                        + (Objects.isNull(deliveryId) ? "." : " (those chosen)."));
        return "redirect:" + page.base() + "/webhooks/" + id + "/dead-letters";
    }
}
