package io.ivs.server.alert;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.QueryPlanner;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creating, reading and removing alert rules: every field is checked and refused with its name
 * before anything is stored, and a rule's level is checked by planning the query the evaluator
 * will run for it, so a rule that could not be evaluated is never stored.
 */
@Service
public class AlertService {
    public static final int RULES_PER_ENVIRONMENT_MAX = 100;
    public static final int NAME_LENGTH_MAX = 64;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_.\\-]+");
    private static final Set<String> FIELDS =
            Set.of("name", "measure", "level", "threshold", "hysteresis");
    private static final Set<String> LEVEL_FIELDS =
            Set.of("organizationid", "productid", "dimensions");
    /** Thresholds up to what a quantity may hold (18 integer digits). */
    private static final BigDecimal VALUE_MAX = new BigDecimal("1e18");

    private final JdbcAlertStore store;
    private final EnvironmentService environments;
    private final ChangeFeedStore feed;
    private final TransactionTemplate tx;

    AlertService(
            JdbcAlertStore store,
            EnvironmentService environments,
            ChangeFeedStore feed,
            TransactionTemplate tx) {
        this.store = store;
        this.environments = environments;
        this.feed = feed;
        this.tx = tx;
    }

    /** Creates or replaces rule {@code name} from a JSON body; answers the rule stored. */
    public Map<String, Object> put(String environmentId, String name, byte @Nullable [] body) {
        environments.requireExisting(environmentId);
        AlertRule rule = parse(environments.configuration(environmentId), name(name), body);
        tx.executeWithoutResult(status -> {
            boolean replacing = store.rule(environmentId, rule.name()).isPresent();
            int count = store.count(environmentId);
            if (!replacing && count >= RULES_PER_ENVIRONMENT_MAX) {
                throw new InvalidInputException(
                        "name",
                        "environment '" + environmentId + "' already has "
                                + RULES_PER_ENVIRONMENT_MAX + " alert rules, the most it can have");
            }
            if (count == 0) {
                // The first rule: evaluation starts at the feed's end, not at changes made
                // before any rule existed.
                store.startCursor(environmentId, feed.head());
            }
            store.put(environmentId, rule);
        });
        return view(rule);
    }

    public List<Map<String, Object>> list(String environmentId) {
        environments.requireExisting(environmentId);
        return store.rules(environmentId).stream().map(AlertService::view).toList();
    }

    public Map<String, Object> get(String environmentId, String name) {
        environments.requireExisting(environmentId);
        return store.rule(environmentId, name(name))
                .map(AlertService::view)
                .orElseThrow(() -> notFound(environmentId, name));
    }

    public void delete(String environmentId, String name) {
        environments.requireExisting(environmentId);
        Boolean deleted = tx.execute(status -> store.delete(environmentId, name(name)));
        if (!Boolean.TRUE.equals(deleted)) {
            throw notFound(environmentId, name);
        }
    }

    private static String name(String given) {
        String name = given.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty()
                || name.length() > NAME_LENGTH_MAX
                || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "name",
                    "'" + given + "' is not a rule name: 1 to " + NAME_LENGTH_MAX
                            + " letters, digits, '_', '-' or '.'");
        }
        return name;
    }

    static AlertRule parse(RuntimeConfiguration config, String name, byte @Nullable [] body) {
        JsonNode request = Json.object(Json.parse(body), "body");
        onlyKnownFields(request, FIELDS, "");
        String bodyName = Json.optionalText(request, "name", "");
        if (bodyName != null && !bodyName.strip().equalsIgnoreCase(name)) {
            throw new InvalidInputException(
                    "name", "'" + bodyName + "' differs from the name in the path, '" + name + "'");
        }
        MeasureRef measure = measure(config, Json.requiredText(request, "measure", ""));
        JsonNode level = Json.field(request, "level", "");
        if (level == null) {
            throw new InvalidInputException("level", "is required: {\"organizationId\": ...}");
        }
        Json.object(level, "level");
        onlyKnownFields(level, LEVEL_FIELDS, "level");
        String organization = nonBlank(
                "level.organizationId", Json.requiredText(level, "organizationId", "level"));
        String product = Json.optionalText(level, "productId", "level");
        if (product != null) {
            product = nonBlank("level.productId", product);
        }
        Map<String, String> dimensions = dimensions(
                Json.stringMap(Json.field(level, "dimensions", "level"), "level.dimensions"));
        AlertRule rule = new AlertRule(
                name,
                measure,
                organization,
                product,
                dimensions,
                amount(request, "threshold"),
                amount(request, "hysteresis"));
        checkQueryable(config, rule);
        return rule;
    }

    private static void onlyKnownFields(JsonNode object, Set<String> known, String path) {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (!known.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(
                        Json.join(path, entry.getKey()), "is not a field of an alert rule");
            }
        }
    }

    private static MeasureRef measure(RuntimeConfiguration config, String given) {
        MeasureRef measure = MeasureRef.parse("measure", given.strip());
        if (!config.isPhysical(measure) && config.calculated(measure).isEmpty()) {
            throw new InvalidInputException(
                    "measure",
                    "'" + given + "' is neither a physical nor a calculated measure of the"
                            + " configuration");
        }
        return measure;
    }

    private static String nonBlank(String field, String value) {
        if (value.isBlank() || value.length() > Limits.ID_LENGTH_MAX) {
            throw new InvalidInputException(
                    field, "must be 1 to " + Limits.ID_LENGTH_MAX + " characters");
        }
        return value;
    }

    private static Map<String, String> dimensions(Map<String, String> given) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String field = "level.dimensions." + entry.getKey();
            String base = BaseDimension.require(field, entry.getKey().strip());
            if (dimensions.containsKey(base)) {
                throw new InvalidInputException(field, "names '" + base + "' a second time");
            }
            dimensions.put(base, nonBlank(field, entry.getValue()));
        }
        return dimensions;
    }

    private static BigDecimal amount(JsonNode request, String name) {
        JsonNode node = Json.field(request, name, "");
        if (node == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal value = Json.decimal(node, name);
        if (value.signum() < 0 || value.abs().compareTo(VALUE_MAX) >= 0) {
            throw new InvalidInputException(name, "must be at least 0 and below 10^18");
        }
        return value.stripTrailingZeros();
    }

    /** Plans the evaluator's query for one product: what the planner refuses names the level. */
    private static void checkQueryable(RuntimeConfiguration config, AlertRule rule) {
        try {
            QueryPlanner.plan(config, AlertEvaluator.request(rule, List.of("p")), 2);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("level", "cannot be queried: " + e.getMessage());
        }
    }

    static Map<String, Object> view(AlertRule rule) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", rule.name());
        view.put("measure", rule.measure().qualified());
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("organizationId", rule.organizationId());
        if (rule.productId() != null) {
            level.put("productId", rule.productId());
        }
        level.put("dimensions", rule.dimensions());
        view.put("level", level);
        view.put("threshold", rule.threshold().toPlainString());
        view.put("hysteresis", rule.hysteresis().toPlainString());
        return view;
    }

    private static ResponseStatusException notFound(String environmentId, String name) {
        return new ResponseStatusException(
                HttpStatus.NOT_FOUND,
                "environment '" + environmentId + "' has no alert rule '" + name + "'");
    }
}
