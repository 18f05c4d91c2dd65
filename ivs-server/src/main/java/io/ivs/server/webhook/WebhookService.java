package io.ivs.server.webhook;

import io.ivs.core.InvalidInputException;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.feed.EventTypes;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Creating and managing webhook subscriptions: every input is checked here and refused with the
 * field it is about before anything is stored.
 */
@Service
public class WebhookService {
    public static final int SUBSCRIPTIONS_PER_ENVIRONMENT_MAX = 100;
    public static final int URL_LENGTH_MAX = 2_048;
    public static final int PRODUCT_FILTER_MAX = 1_000;
    public static final int MEASURE_FILTER_MAX = 100;
    public static final int SECRET_LENGTH_MIN = 16;
    public static final int SECRET_LENGTH_MAX = 256;
    public static final int DESCRIPTION_LENGTH_MAX = 500;
    public static final int NAME_LENGTH_MAX = 256;
    public static final int DEAD_LETTERS_LIST_MAX = 1_000;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_\\-]+");

    /** What a caller asks for; filters as given. */
    public record NewSubscription(
            String url,
            List<String> productIds,
            List<String> dataSources,
            List<String> measures,
            List<String> eventTypes,
            @Nullable String secret,
            @Nullable String description,
            @Nullable String after) {}

    /** A new subscription and its secret, shown this once. */
    public record Created(Subscription subscription, String secret) {}

    private final WebhookStore store;
    private final EnvironmentService environments;
    private final ChangeFeed feed;
    private final ChangeFeedStore feedStore;
    private final WebhookTargets targets;
    private final Clock clock;

    WebhookService(
            WebhookStore store,
            EnvironmentService environments,
            ChangeFeed feed,
            ChangeFeedStore feedStore,
            WebhookTargets targets,
            Clock clock) {
        this.store = store;
        this.targets = targets;
        this.environments = environments;
        this.feed = feed;
        this.feedStore = feedStore;
        this.clock = clock;
    }

    public Created create(String environmentId, NewSubscription request) {
        environments.requireExisting(environmentId);
        String url = url(request.url());
        List<String> products = productIds(request.productIds());
        List<String> dataSources = names(request.dataSources(), "dataSources", false);
        List<String> measures = names(request.measures(), "measures", true);
        List<String> eventTypes = List.copyOf(EventTypes.parse("eventTypes", request.eventTypes()));
        String secret = request.secret() == null ? WebhookSignature.newSecret() : request.secret();
        if (secret.length() < SECRET_LENGTH_MIN || secret.length() > SECRET_LENGTH_MAX) {
            throw new InvalidInputException(
                    "secret",
                    "must be " + SECRET_LENGTH_MIN + " to " + SECRET_LENGTH_MAX
                            + " characters; leave it out to have one generated");
        }
        WebhookSignature.problem(secret).ifPresent(problem -> {
            throw new InvalidInputException("secret", problem);
        });
        String description = request.description() == null ? "" : request.description();
        if (description.length() > DESCRIPTION_LENGTH_MAX) {
            throw new InvalidInputException(
                    "description", "must be at most " + DESCRIPTION_LENGTH_MAX + " characters");
        }
        long cursor = cursor(environmentId, request.after() == null ? "latest" : request.after());
        if (store.count(environmentId) >= SUBSCRIPTIONS_PER_ENVIRONMENT_MAX) {
            throw new InvalidInputException(
                    "url",
                    "environment '" + environmentId + "' already has "
                            + SUBSCRIPTIONS_PER_ENVIRONMENT_MAX
                            + " webhook subscriptions, the most it can have");
        }
        Subscription subscription = new Subscription(
                newId(),
                environmentId,
                url,
                secret,
                description,
                products,
                dataSources,
                measures,
                Subscription.ACTIVE,
                cursor,
                clock.instant(),
                null,
                null,
                null,
                eventTypes);
        store.create(subscription);
        return new Created(subscription, secret);
    }

    public List<Subscription> list(String environmentId) {
        environments.requireExisting(environmentId);
        return store.list(environmentId);
    }

    public Subscription get(String environmentId, String subscriptionId) {
        environments.requireExisting(environmentId);
        return store.get(environmentId, subscriptionId)
                .orElseThrow(() -> notFound(environmentId, subscriptionId));
    }

    public void delete(String environmentId, String subscriptionId) {
        environments.requireExisting(environmentId);
        if (!store.delete(environmentId, subscriptionId)) {
            throw notFound(environmentId, subscriptionId);
        }
    }

    /** Pauses ({@code active = false}) or resumes a subscription; idempotent. */
    public Subscription status(String environmentId, String subscriptionId, boolean active) {
        environments.requireExisting(environmentId);
        String status = active ? Subscription.ACTIVE : Subscription.PAUSED;
        if (!store.status(environmentId, subscriptionId, status)) {
            throw notFound(environmentId, subscriptionId);
        }
        return get(environmentId, subscriptionId);
    }

    /**
     * Delivers again every matching change after {@code after} (a feed position or
     * {@code latest}): the subscription's cursor is moved there.
     */
    public Subscription replayFrom(
            String environmentId, String subscriptionId, @Nullable String after) {
        if (after == null) {
            throw new InvalidInputException(
                    "after", "is required: the feed position to deliver again after");
        }
        get(environmentId, subscriptionId);
        long cursor = cursor(environmentId, after);
        if (!store.rewind(environmentId, subscriptionId, cursor)) {
            throw notFound(environmentId, subscriptionId);
        }
        return get(environmentId, subscriptionId);
    }

    public List<DeadLetter> deadLetters(String environmentId, String subscriptionId, int limit) {
        get(environmentId, subscriptionId);
        if (limit < 1 || limit > DEAD_LETTERS_LIST_MAX) {
            throw new InvalidInputException(
                    "limit", "must be between 1 and " + DEAD_LETTERS_LIST_MAX);
        }
        return store.deadLetters(subscriptionId, limit);
    }

    public int deadLetterCount(String subscriptionId) {
        return store.deadLetterCount(subscriptionId);
    }

    /**
     * Marks dead letters for delivery again (all, or those with the given delivery ids); the
     * subscription's deliverer sends them before its next changes. Answers how many.
     */
    public int replayDeadLetters(
            String environmentId, String subscriptionId, @Nullable List<String> deliveryIds) {
        get(environmentId, subscriptionId);
        if (deliveryIds != null && deliveryIds.size() > DEAD_LETTERS_LIST_MAX) {
            throw new InvalidInputException(
                    "deliveryIds", "must list at most " + DEAD_LETTERS_LIST_MAX + " ids");
        }
        return store.requestReplay(subscriptionId, deliveryIds);
    }

    private long cursor(String environmentId, String after) {
        long cursor = feed.cursor("after", after);
        long pruned = feedStore.prunedThrough(environmentId);
        if (cursor < pruned) {
            throw new InvalidInputException(
                    "after",
                    "position " + cursor + " is older than the retained change feed (changes"
                            + " up to " + pruned + " were removed by retention)");
        }
        return cursor;
    }

    private String url(String text) {
        if (text.length() > URL_LENGTH_MAX) {
            throw new InvalidInputException(
                    "url", "must be at most " + URL_LENGTH_MAX + " characters");
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidInputException("url", "must be an http:// or https:// URL");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new InvalidInputException("url", "must name a host");
            }
            if (uri.getFragment() != null) {
                throw new InvalidInputException("url", "must not have a #fragment");
            }
            // Credentials in a URL are shown by every list of subscriptions and in logs.
            if (uri.getRawUserInfo() != null) {
                throw new InvalidInputException(
                        "url", "must not hold a user name or password (user:pass@)");
            }
            targets.requireAllowed(uri);
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url", "is not a URL: " + e.getMessage());
        }
    }

    private static List<String> productIds(List<String> given) {
        if (given.size() > PRODUCT_FILTER_MAX) {
            throw new InvalidInputException(
                    "productIds", "must list at most " + PRODUCT_FILTER_MAX + " products");
        }
        Set<String> products = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String product = given.get(i);
            if (product.isBlank() || product.length() > NAME_LENGTH_MAX) {
                throw new InvalidInputException(
                        "productIds[" + i + "]", "must be 1 to " + NAME_LENGTH_MAX + " characters");
            }
            products.add(product);
        }
        return List.copyOf(products);
    }

    /** Data source names, or {@code ds.measure} names when {@code qualified}, lower-cased. */
    private static List<String> names(List<String> given, String field, boolean qualified) {
        if (given.size() > MEASURE_FILTER_MAX) {
            throw new InvalidInputException(
                    field, "must list at most " + MEASURE_FILTER_MAX + " names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String name = given.get(i).strip().toLowerCase(Locale.ROOT);
            List<String> parts = qualified ? List.of(name.split("\\.", -1)) : List.of(name);
            boolean valid = parts.size() == (qualified ? 2 : 1)
                    && name.length() <= NAME_LENGTH_MAX
                    && parts.stream().allMatch(part -> NAME.matcher(part).matches());
            if (!valid) {
                throw new InvalidInputException(
                        field + "[" + i + "]",
                        "'" + given.get(i) + "' is not "
                                + (qualified
                                        ? "a measure written as dataSource.measure"
                                        : "a data source name"));
            }
            names.add(name);
        }
        return new ArrayList<>(names);
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "wh_" + HexFormat.of().formatHex(bytes);
    }

    private static ResponseStatusException notFound(String environmentId, String id) {
        return new ResponseStatusException(
                HttpStatus.NOT_FOUND,
                "environment '" + environmentId + "' has no webhook subscription '" + id + "'");
    }

    /** Reads a creation body; every field name matched case-insensitively (DESIGN D8). */
    public static NewSubscription parse(byte @Nullable [] body) {
        var request = Json.object(Json.parse(body), "body");
        return new NewSubscription(
                Json.requiredText(request, "url", ""),
                Json.stringList(Json.field(request, "productIds", ""), "productIds"),
                Json.stringList(Json.field(request, "dataSources", ""), "dataSources"),
                Json.stringList(Json.field(request, "measures", ""), "measures"),
                Json.stringList(Json.field(request, "eventTypes", ""), "eventTypes"),
                Json.optionalText(request, "secret", ""),
                Json.optionalText(request, "description", ""),
                Json.optionalText(request, "after", ""));
    }
}
