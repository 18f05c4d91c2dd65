package io.ivs.server.console;

import io.ivs.server.alert.AlertStates;
import io.ivs.server.allocation.AllocationCounts;
import io.ivs.server.reservation.ReservationCounts;
import io.ivs.server.security.Role;
import io.ivs.server.webhook.Subscription;
import io.ivs.server.webhook.WebhookService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.util.ArrayList;
import java.util.List;

/**
 * The overview of an environment: stock health from the alert rules, what reservations and
 * allocations hold, the rates of the last hour as charts, the change feed's consumers and their
 * lag, and recent errors. Every figure is bounded, read through the ports of the features that
 * own the data, and links to the page that lists what it counts; the page needs {@code
 * inventory.read} or {@code config.admin}.
 */
@Controller
class OverviewController extends ConsoleController {
    /** A count stops here and reads "at least" this many; it bounds the rows a count visits. */
    static final int COUNT_MAX = 10_000;

    /** Products listed at most under the health figures. */
    static final int PRODUCTS_LISTED_MAX = 10;

    static final int BUCKETS = OverviewRates.BUCKETS;

    /** A consumer of the change feed and how far behind it is, from the feed's lag gauges. */
    record ConsumerLag(String consumer, String subscription, long positions, double seconds) {}

    /** A webhook subscription whose last delivery failed or that holds dead letters. */
    record WebhookTrouble(Subscription subscription, int deadLetters) {}

    private final ConsoleAccess access;
    private final AlertStates alerts;
    private final ReservationCounts reservations;
    private final AllocationCounts allocations;
    private final OverviewRates rates;
    private final WebhookService webhooks;
    private final MeterRegistry meters;

    OverviewController(
            ConsoleAccess access,
            AlertStates alerts,
            ReservationCounts reservations,
            AllocationCounts allocations,
            OverviewRates rates,
            WebhookService webhooks,
            MeterRegistry meters) {
        this.access = access;
        this.alerts = alerts;
        this.reservations = reservations;
        this.allocations = allocations;
        this.rates = rates;
        this.webhooks = webhooks;
        this.meters = meters;
    }

    @GetMapping("/console/env/{env}/overview")
    String overview(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ, Role.CONFIG_ADMIN);
        model.addAttribute("page", page);
        model.addAttribute("nav", "overview");
        model.addAttribute("alerts", alerts.counts(env, COUNT_MAX));
        model.addAttribute(
                "alerted",
                alerts.alerted(env, AlertStates.Filter.BELOW, COUNT_MAX, PRODUCTS_LISTED_MAX));
        model.addAttribute("reservations", reservations.held(env, COUNT_MAX));
        model.addAttribute("allocations", allocations.buckets(env, COUNT_MAX));
        model.addAttribute("countMax", COUNT_MAX);
        OverviewRates.Rates lastHour = rates.rates(env);
        model.addAttribute("charts", lastHour.charts());
        model.addAttribute("refusedByReason", lastHour.refusedByReason());
        model.addAttribute("consumers", consumers(env));
        model.addAttribute("webhookTrouble", webhookTrouble(env));
        return "console/overview";
    }

    /** The lag gauges of this environment's consumers, as the feed last computed them. */
    private List<ConsumerLag> consumers(String env) {
        List<ConsumerLag> lags = new ArrayList<>();
        for (Gauge positions :
                meters.find("ivs.feed.lag.positions").tag("environment", env).gauges()) {
            String consumer = String.valueOf(positions.getId().getTag("consumer"));
            String subscription = String.valueOf(positions.getId().getTag("subscription"));
            Gauge seconds = meters.find("ivs.feed.lag.seconds")
                    .tags("environment", env, "consumer", consumer, "subscription", subscription)
                    .gauge();
            lags.add(new ConsumerLag(
                    consumer,
                    subscription,
                    Math.round(positions.value()),
                    seconds == null ? 0 : seconds.value()));
        }
        lags.sort((a, b) ->
                (a.consumer() + a.subscription()).compareTo(b.consumer() + b.subscription()));
        return lags;
    }

    /** Subscriptions (at most 100 per environment) with a failed delivery or dead letters. */
    private List<WebhookTrouble> webhookTrouble(String env) {
        List<WebhookTrouble> trouble = new ArrayList<>();
        for (Subscription subscription : webhooks.list(env)) {
            int dead = webhooks.deadLetterCount(subscription.id());
            if (dead > 0 || subscription.lastError() != null) {
                trouble.add(new WebhookTrouble(subscription, dead));
            }
        }
        return trouble;
    }
}
