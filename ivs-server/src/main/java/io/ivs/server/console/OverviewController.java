package io.ivs.server.console;

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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The overview of an environment: stock health from the alert rules, what reservations and
 * allocations hold, the rates of the last hour as charts, the change feed's consumers and their
 * lag, and recent errors. Every figure is bounded ({@link OverviewQueries}); the page needs
 * {@code inventory.read} or {@code config.admin}.
 */
@Controller
class OverviewController extends ConsoleController {
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration BUCKET = Duration.ofMinutes(5);
    static final int BUCKETS = (int) (WINDOW.toSeconds() / BUCKET.toSeconds());

    private static final Set<String> CHANGE_FAMILIES = Set.of("onhand", "setonhand");
    private static final Set<String> RESERVATION_FAMILIES = Set.of("reserve", "unreserve");

    /** A consumer of the change feed and how far behind it is, from the feed's lag gauges. */
    record ConsumerLag(String consumer, String subscription, long positions, double seconds) {}

    /** A webhook subscription whose last delivery failed or that holds dead letters. */
    record WebhookTrouble(Subscription subscription, int deadLetters) {}

    private final ConsoleAccess access;
    private final OverviewQueries queries;
    private final RefusalRates refusals;
    private final WebhookService webhooks;
    private final MeterRegistry meters;
    private final Clock clock;

    OverviewController(
            ConsoleAccess access,
            OverviewQueries queries,
            RefusalRates refusals,
            WebhookService webhooks,
            MeterRegistry meters,
            Clock clock) {
        this.access = access;
        this.queries = queries;
        this.refusals = refusals;
        this.webhooks = webhooks;
        this.meters = meters;
        this.clock = clock;
    }

    @GetMapping("/console/env/{env}/overview")
    String overview(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ, Role.CONFIG_ADMIN);
        model.addAttribute("page", page);
        model.addAttribute("nav", "overview");
        model.addAttribute("alerts", queries.alerts(env));
        model.addAttribute("alerted", queries.alertedProducts(env));
        model.addAttribute("reservations", queries.reservationsHeld(env));
        model.addAttribute("allocations", queries.allocations(env));
        model.addAttribute("countMax", OverviewQueries.COUNT_MAX);
        model.addAttribute("charts", charts(env));
        model.addAttribute("consumers", consumers(env));
        model.addAttribute("webhookTrouble", webhookTrouble(env));
        model.addAttribute("refusedByReason", refusals.byReason());
        return "console/overview";
    }

    private List<RateChart> charts(String env) {
        Instant now = clock.instant();
        long bucketSeconds = BUCKET.toSeconds();
        // Buckets end at the next bucket boundary, so that the last one is the current one.
        Instant end =
                Instant.ofEpochSecond((now.getEpochSecond() / bucketSeconds + 1) * bucketSeconds);
        Instant from = end.minus(WINDOW);
        long[] changes = new long[BUCKETS];
        long[] reservations = new long[BUCKETS];
        for (OverviewQueries.EventCount count : queries.events(env, from, BUCKET)) {
            if (count.bucket() < 0 || count.bucket() >= BUCKETS) {
                continue;
            }
            if (CHANGE_FAMILIES.contains(count.family())) {
                changes[count.bucket()] += count.events();
            } else if (RESERVATION_FAMILIES.contains(count.family())) {
                reservations[count.bucket()] += count.events();
            }
        }
        return List.of(
                RateChart.of("rate-changes", "On-hand changes", from, bucketSeconds, changes),
                RateChart.of(
                        "rate-reservations",
                        "Reserves and unreserves",
                        from,
                        bucketSeconds,
                        reservations),
                RateChart.of(
                        "rate-refusals",
                        "Refused items (this instance, all environments)",
                        from,
                        bucketSeconds,
                        refusals.perBucket(from, BUCKET, BUCKETS)));
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
