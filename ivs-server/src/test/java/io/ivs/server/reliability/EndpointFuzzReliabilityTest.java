package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Fuzzes every endpoint that takes input: the operations are read from the running app's OpenAPI
 * document, so a new endpoint is fuzzed (or the test fails until it is) without anyone updating a
 * list. Each endpoint gets malformed bodies: not JSON, wrong top-level types, missing, extra and
 * null fields, wrong types at every field of a valid example, huge strings and arrays, deep
 * nesting, invalid UTF-8, duplicate keys and numbers out of range. Every answer must be a 4xx with
 * a message (a bulk endpoint may answer 200 when every item is a 4xx envelope), and a checksum of
 * every table must be unchanged.
 *
 * <p>{@link ErrorHandlingIntegrationTest} holds the hand-written cases with exact messages; this
 * test adds breadth. Its cases are generated from a fixed seed. The first cases of each
 * operation are sent again on an equivalent spelling of the path, which must answer the same.
 */
class EndpointFuzzReliabilityTest extends HttpTestSupport {
    private static final long SEED = 20_261_106L;
    /** Field-level mutations per endpoint: a seeded sample of the example's fields. */
    private static final int FIELD_PATHS_MAX = 24;
    /** Cases of each operation sent again on another spelling of its path. */
    private static final int SPELLED_CASES_MAX = 3;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String BASE = "/api/environment/{environmentId}";

    /** Operations with no input to fuzz, and why. Anything else without a case fails the test. */
    private static final Map<String, String> NOTHING_TO_FUZZ =
            Map.of("POST /admin/keys/rotate", "takes no body and no parameters");

    /**
     * Cases that are valid input by design on some endpoints, with the reason; they are not run
     * there. Everything else must be refused.
     */
    private static final Map<String, Map<String, String>> VALID_BY_DESIGN = Map.of(
            "/cleanupalldata",
            Map.of("empty body", "no body deletes all data of the environment (operations.md)"),
            "/onhand/reserve/resyncjob",
            Map.of("empty body", "no body reverses the reservations of every data source"),
            "/dead-letters/replay",
            Map.of(
                    "empty body", "no body replays every dead letter (README, Webhooks)",
                    "every field missing", "{} replays every dead letter (README, Webhooks)"),
            "/sync/{dataSource}",
            Map.of(
                    "empty body", "no body begins a full sync with the default timeout",
                    "every field missing", "{} begins a full sync with the default timeout",
                    "every value null", "a null timeoutSeconds is the default timeout"));

    @Autowired
    private JdbcTemplate jdbc;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One malformed request. */
    private record Case(String name, String contentType, byte[] body) {}

    /** A failed expectation. */
    private record Finding(String operation, String kase, String problem) {}

    @Test
    void everyEndpoint_malformedInput_is4xxWithAMessageAndChangesNothing() {
        enableFeatures();
        seedState();
        Map<String, List<String>> operations = operations();
        Map<String, Integer> casesByOperation = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        Set<String> handlersDone = new TreeSet<>();
        Random random = new Random(SEED);

        for (Map.Entry<String, List<String>> entry : operations.entrySet()) {
            String operation = entry.getKey();
            String handler = entry.getValue().get(0);
            boolean hasBody = Boolean.parseBoolean(entry.getValue().get(1));
            if (NOTHING_TO_FUZZ.containsKey(operation)) {
                continue;
            }
            String method = operation.substring(0, operation.indexOf(' '));
            String template = operation.substring(operation.indexOf(' ') + 1);
            List<Case> cases;
            List<String> paths;
            String spelled = null;
            if (isForm(template)) {
                cases = formCases();
                paths = List.of(concrete(template));
            } else if (!hasBody) {
                cases = List.of(new Case("no body", null, null));
                paths = malformedPathParameters(template);
            } else {
                // The first path of a handler gets every case; its aliases a few generic ones.
                cases = jsonCases(example(template), random);
                if (!handlersDone.add(handler)) {
                    cases = cases.subList(0, 4);
                }
                Map<String, String> valid = validByDesign(template);
                cases = cases.stream().filter(c -> !valid.containsKey(c.name())).toList();
                paths = List.of(concrete(template));
                spelled = concrete(spell(template, random));
            }
            long started = System.nanoTime();
            int count = fuzz(method, operation, paths, cases, findings);
            count += fuzzSpelled(method, operation, paths.getFirst(), spelled, cases, findings);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 2_000) {
                System.out.printf("fuzz: %s took %d ms%n", operation, millis);
            }
            casesByOperation.put(operation, count);
        }

        int total =
                casesByOperation.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                "fuzz: %d cases on %d operations (%s exempt)%n",
                total, casesByOperation.size(), NOTHING_TO_FUZZ.keySet());
        Set<String> uncovered = new TreeSet<>(operations.keySet());
        uncovered.removeAll(casesByOperation.keySet());
        uncovered.removeAll(NOTHING_TO_FUZZ.keySet());
        assertThat(uncovered).as("operations without fuzz cases").isEmpty();
        assertThat(casesByOperation.values()).allSatisfy(n -> assertThat(n).isPositive());
        findings.forEach(f -> System.out.println("FUZZ FINDING " + f));
        assertThat(findings).as("findings (%d cases ran)", total).isEmpty();
    }

    /** Runs the cases on one operation; checks each answer and the state after all of them. */
    private int fuzz(
            String method,
            String operation,
            List<String> paths,
            List<Case> cases,
            List<Finding> findings) {
        String before = checksum();
        int count = 0;
        for (String path : paths) {
            for (Case kase : cases) {
                HttpResponse<String> response = send(method, path, kase);
                String problem = judge(response);
                if (problem != null) {
                    findings.add(new Finding(operation + " " + path, kase.name(), problem));
                }
                count++;
            }
        }
        if (!before.equals(checksum())) {
            findings.add(new Finding(operation, "(all cases)", "the stored state changed"));
        }
        return count;
    }

    /**
     * The first cases again on another spelling of the same path (a letter percent-encoded, the
     * fixed words in another case, a trailing slash): the answer must be the plain path's, so a
     * spelling can neither skip validation nor reach another handler.
     */
    private int fuzzSpelled(
            String method,
            String operation,
            String plain,
            String spelled,
            List<Case> cases,
            List<Finding> findings) {
        if (spelled == null) {
            return 0;
        }
        String before = checksum();
        int count = 0;
        for (Case kase : cases.subList(0, Math.min(SPELLED_CASES_MAX, cases.size()))) {
            int plainStatus = send(method, plain, kase).statusCode();
            HttpResponse<String> response = send(method, spelled, plain, kase);
            if (response.statusCode() != plainStatus) {
                findings.add(new Finding(
                        operation + " " + spelled,
                        kase.name(),
                        "spelling answered " + response.statusCode() + ", the plain path "
                                + plainStatus + ": " + abbreviate(response.body())));
            }
            count++;
        }
        if (!before.equals(checksum())) {
            findings.add(new Finding(operation, "(spellings)", "the stored state changed"));
        }
        return count;
    }

    /** A seeded equivalent spelling of a path template's fixed segments. */
    static String spell(String template, Random random) {
        String[] segments = template.substring(1).split("/");
        int kind = random.nextInt(4);
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/');
            if (segment.startsWith("{")) {
                path.append(segment);
            } else if (kind == 0 && Character.isLetter(segment.charAt(0))) {
                path.append(String.format("%%%02X", (int) segment.charAt(0)))
                        .append(segment.substring(1));
            } else if (kind == 1) {
                path.append(segment.toUpperCase(java.util.Locale.ROOT));
            } else if (kind == 2) {
                path.append(Character.toUpperCase(segment.charAt(0))).append(segment.substring(1));
            } else {
                path.append(segment);
            }
        }
        return kind == 3 ? path + "/" : path.toString();
    }

    /** Null when the answer is a 4xx with a message; otherwise what is wrong with it. */
    private static String judge(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        JsonNode json;
        try {
            json = IvsClient.parse(body);
        } catch (RuntimeException e) {
            return status + " with a body that is not JSON: " + abbreviate(body);
        }
        if (status == 200 && json.isArray() && !json.isEmpty()) {
            for (JsonNode item : json) {
                int itemStatus = item.path("statusCode").asInt();
                if (itemStatus < 400 || itemStatus > 499 || message(item).isBlank()) {
                    return "200 with an item that is not a 4xx envelope: " + abbreviate(body);
                }
            }
            return null;
        }
        if (status < 400 || status > 499) {
            return status + ": " + abbreviate(body);
        }
        if (message(json).isBlank()) {
            return status + " without a message: " + abbreviate(body);
        }
        return null;
    }

    private static String message(JsonNode json) {
        String message = json.path("message").asString("");
        return message.isBlank() ? json.path("detail").asString("") : message;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    // ---- the operations -------------------------------------------------------------------

    /** "METHOD /path" → [handler, has a JSON body], for every POST, PUT and DELETE with a body. */
    private Map<String, List<String>> operations() {
        IvsClient.Response docs = client.withoutAuth().get("/v3/api-docs");
        assertThat(docs.status()).as(docs.body()).isEqualTo(200);
        Map<String, List<String>> operations = new TreeMap<>();
        for (Map.Entry<String, JsonNode> path : docs.json().path("paths").properties()) {
            List<String> templates = new java.util.ArrayList<>(List.of(path.getKey()));
            path.getValue().path("x-ivs-aliases").forEach(a -> templates.add(a.asString()));
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (op.getKey().startsWith("x-")) {
                    continue;
                }
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                boolean hasBody = op.getValue().has("requestBody");
                boolean input = method.equals("POST")
                        || method.equals("PUT")
                        || (method.equals("DELETE") && hasBody);
                if (input) {
                    String handler =
                            op.getValue().path("operationId").asString().replaceAll("_\\d+$", "");
                    for (String template : templates) {
                        operations.put(
                                method + " " + template, List.of(handler, String.valueOf(hasBody)));
                    }
                }
            }
        }
        assertThat(operations).as("operations in /v3/api-docs").hasSizeGreaterThan(35);
        return operations;
    }

    private static Map<String, String> validByDesign(String template) {
        String path = template.replaceAll("/$", "");
        for (Map.Entry<String, Map<String, String>> entry : VALID_BY_DESIGN.entrySet()) {
            if (path.endsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return Map.of();
    }

    private static boolean isForm(String template) {
        return template.matches(".*/oauth2/(v2\\.0/)?token/?");
    }

    private String concrete(String template) {
        return template.replace("{environmentId}", env)
                .replace("{id}", webhookId)
                .replace("{inventorySystem}", "pos")
                .replace("{tenantId}", "common")
                .replace("{clientId}", IvsClient.ADMIN_ID)
                .replace("{name}", "fuzz-rule")
                .replace("{dataSource}", "pos")
                // No sync or collection of these ids exists: a well-formed call is a 404.
                .replace("{syncId}", "00000000-0000-0000-0000-000000000000")
                .replace("{collectionId}", "no-such-collection")
                // No reservation of that id exists, so even a well-formed extend is a 404.
                .replace("{reservationId}", "no-such-reservation");
    }

    /** Bodiless operations take their input from the path: malformed path parameters. */
    private List<String> malformedPathParameters(String template) {
        List<String> values =
                List.of("a%00b", "x".repeat(300), "%FF%FE", "a%20b", "..%2F..", "%E2%82", "-");
        List<String> paths = new ArrayList<>();
        for (String value : values) {
            String path = template.replaceAll("\\{[A-Za-z]+}", value);
            assertThat(path)
                    .as("a bodiless operation must have a path parameter")
                    .isNotEqualTo(template);
            paths.add(path);
        }
        return paths;
    }

    // ---- examples and state ---------------------------------------------------------------

    /** Reservations and allocation on, so that their bodies are read beyond the feature check. */
    private void enableFeatures() {
        configure(document -> {
            ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
        });
    }

    /** Some stock, a reservation and an allocation, so that state exists to be damaged. */
    /** The paused webhook subscription of {@link #seedState} (paused: nothing is delivered). */
    private String webhookId = "";

    private void seedState() {
        IvsClient.Response hook =
                client.post("/admin/environments/" + env + "/webhooks", IvsClient.json(webhook()));
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        webhookId = hook.json().path("id").asString();
        IvsClient.Response paused = client.post(
                "/admin/environments/" + env + "/webhooks/" + webhookId + "/pause", null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        IvsClient.Response stock =
                client.post(api("/onhand/bulk"), "[" + IvsClient.json(event("seed-1")) + "]");
        assertThat(stock.status()).as(stock.body()).isEqualTo(200);
        IvsClient.Response reserve =
                client.post(api("/onhand/reserve"), IvsClient.json(reserve("seed-r")));
        assertThat(reserve.json().path("statusCode").asInt()).as(reserve.body()).isEqualTo(200);
    }

    private static ObjectNode dimensions() {
        ObjectNode dimensions = NODES.objectNode();
        dimensions.put("siteId", "1").put("locationId", "11").put("colorId", "red");
        return dimensions;
    }

    private static ObjectNode event(String id) {
        ObjectNode event = NODES.objectNode();
        event.put("id", id).put("organizationId", "usmf").put("productId", "F1");
        event.set("dimensions", dimensions());
        event.putObject("quantities").putObject("pos").put("inbound", 5);
        return event;
    }

    private static ObjectNode webhook() {
        ObjectNode hook = NODES.objectNode();
        hook.put("url", "http://127.0.0.1:9/fuzz-hook").put("description", "fuzz");
        hook.putArray("productIds").add("F1");
        hook.putArray("dataSources").add("pos");
        hook.putArray("measures").add("pos.inbound");
        return hook;
    }

    private static ObjectNode reserve(String id) {
        ObjectNode reserve = NODES.objectNode();
        reserve.put("id", id).put("organizationId", "usmf").put("productId", "F1");
        reserve.set("dimensions", dimensions());
        reserve.put("quantityDataSource", "iv").put("modifier", "softreserved");
        reserve.put("quantity", 1).put("ifCheckAvailForReserv", true);
        return reserve;
    }

    private static ObjectNode unreserve(String id) {
        ObjectNode unreserve = NODES.objectNode();
        unreserve.put("id", id).put("organizationId", "usmf").put("productId", "F1");
        unreserve.put("reservationId", "unknown-reservation");
        unreserve.set("dimensions", dimensions());
        unreserve.put("OffsetQty", 1);
        return unreserve;
    }

    private static ObjectNode query() {
        ObjectNode query = NODES.objectNode();
        ObjectNode filters = query.putObject("filters");
        filters.putArray("organizationId").add("usmf");
        filters.putArray("productId").add("F1");
        filters.putArray("siteId").add("1");
        filters.putArray("locationId").add("11");
        query.putArray("groupByValues").add("colorId");
        query.put("returnNegative", true);
        return query;
    }

    private static ObjectNode exactQuery() {
        ObjectNode query = NODES.objectNode();
        ObjectNode filters = query.putObject("filters");
        filters.putArray("organizationId").add("usmf");
        filters.putArray("productId").add("F1");
        filters.putArray("dimensions").add("siteId").add("locationId");
        filters.putArray("values").addArray().add("1").add("11");
        query.putArray("groupByValues").add("colorId");
        query.put("returnNegative", true);
        return query;
    }

    private static ObjectNode schedule(String id) {
        ObjectNode schedule = NODES.objectNode();
        schedule.put("id", id).put("organizationId", "usmf").put("productId", "F1");
        schedule.set("dimensions", dimensions());
        schedule.putObject("quantitiesByDate")
                .putObject("2030-01-01")
                .putObject("pos")
                .put("inbound", 1);
        return schedule;
    }

    private static ObjectNode allocation(String id) {
        ObjectNode request = NODES.objectNode();
        request.put("id", id).put("organizationId", "usmf").put("productId", "F1");
        request.set("dimensions", dimensions());
        request.putObject("groups").put("channel", "web");
        request.put("quantity", 1);
        return request;
    }

    /**
     * The fields of the configuration document that IVS reads (ConfigurationDocuments); the
     * others are kept as given, so any value is valid there.
     */
    private static ObjectNode actedOn(ObjectNode document) {
        ObjectNode read = NODES.objectNode();
        read.putObject("indexConfiguration")
                .set("indexAttributeSets", document.at("/indexConfiguration/indexAttributeSets"));
        read.set("inventorySystemConfigurations", document.get("inventorySystemConfigurations"));
        read.set("partitionConfiguration", document.get("partitionConfiguration"));
        copy(document, read, "reservConfiguration", "isReservEnabled", "version", "keys");
        copy(
                document,
                read,
                "scheduleConfiguration",
                "isScheduleEnabled",
                "schedulePeriodInDays",
                "atpCalculatedMeasures",
                "indexAttributeSets");
        copy(document, read, "allocationConfiguration", "isEnabled", "groups");
        return read;
    }

    private static void copy(ObjectNode from, ObjectNode to, String section, String... fields) {
        ObjectNode target = to.putObject(section);
        for (String field : fields) {
            target.set(field, from.get(section).get(field));
        }
    }

    private static ArrayNode array(JsonNode item) {
        return NODES.arrayNode().add(item);
    }

    /** A valid (or nearly valid) body for an endpoint, to mutate; {@code {}} when unknown. */
    private JsonNode example(String template) {
        String path = template.replace(BASE, "").replaceAll("/$", "").replace("on-hand", "onhand");
        return switch (path) {
            case "/onhand" -> event("fz");
            case "/onhand/bulk", "/setonhand/{inventorySystem}/bulk" -> array(event("fz"));
            case "/onhand/reserve" -> reserve("fz");
            case "/onhand/reserve/bulk" -> array(reserve("fz"));
            case "/onhand/unreserve" -> unreserve("fz");
            case "/onhand/unreserve/bulk" -> array(unreserve("fz"));
            case "/onhand/reserve/resyncjob" -> array(NODES.stringNode("iv"));
            case "/onhand/indexquery" -> query();
            case "/onhand/exactquery" -> exactQuery();
            case "/onhand/changeschedule" -> schedule("fz");
            case "/onhand/changeschedule/bulk" -> array(schedule("fz"));
            case "/allocation/allocate",
                    "/allocation/unallocate",
                    "/allocation/consume",
                    "/allocation/reallocate" -> allocation("fz");
            case "/allocation/query" -> {
                ObjectNode query = allocation("fz");
                query.remove(List.of("id", "quantity"));
                yield query;
            }
            case "/configuration/hardupdate" -> actedOn(configuration());
            case "/cleanupalldata", "/partitions/cleanupalldata" ->
                array(NODES.stringNode("usmf~1~11"));
            case "/admin/clients" -> IvsClient.parse("""
                    {"clientId": "fuzz-client", "environments": ["%s"],
                     "roles": ["inventory.read"], "description": "fuzz"}""".formatted(env));
            case "/token" -> IvsClient.parse("""
                    {"grant_type": "client_credentials", "client_assertion_type": "aad_app",
                     "client_assertion": "not-a-jwt", "context": "%s",
                     "context_type": "finops-env"}""".formatted(env));
            default -> webhookExample(path);
        };
    }

    private static JsonNode webhookExample(String path) {
        if (path.endsWith("/webhooks")) {
            return webhook();
        }
        if (path.endsWith("/dead-letters/replay")) {
            ObjectNode replay = NODES.objectNode();
            replay.putArray("deliveryIds").add("wh_none-1");
            return replay;
        }
        if (path.endsWith("/replay")) {
            return NODES.objectNode().put("after", "latest");
        }
        return NODES.objectNode();
    }

    /**
     * A digest of every table but Flyway's history, so that any write a malformed request let
     * through is found, whichever table it went to. Rows of other tests' environments are left
     * out (the test server is shared), which keeps this fast in a full build. Refused items per
     * minute are left out too: counting a refusal is that table's purpose, and each instance
     * writes it once a minute, whenever its schedule falls.
     */
    private String checksum() {
        List<Map<String, Object>> tables = jdbc.queryForList(
                "select t.table_name, bool_or(c.column_name = 'environment_id') as by_env,"
                        + " bool_or(c.column_name = 'product_key') as by_product"
                        + " from information_schema.tables t join information_schema.columns c"
                        + " on c.table_schema = t.table_schema and c.table_name = t.table_name"
                        + " where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'"
                        + " and t.table_name not in ('flyway_schema_history',"
                        + " 'refused_item_minute')"
                        + " group by t.table_name order by t.table_name");
        StringBuilder digest = new StringBuilder();
        for (Map<String, Object> table : tables) {
            String name = (String) table.get("table_name");
            String where = "";
            Object[] args = {};
            if (Boolean.TRUE.equals(table.get("by_env"))) {
                where = " where t.environment_id = ?";
                args = new Object[] {env};
            } else if (Boolean.TRUE.equals(table.get("by_product"))) {
                where = " where t.product_key in"
                        + " (select product_key from onhand_record where environment_id = ?)";
                args = new Object[] {env};
            }
            String sql = "select md5(coalesce(string_agg(t::text, '|' order by t::text), ''))"
                    + " from \"" + name + "\" t" + where;
            digest.append(name).append('=');
            digest.append(jdbc.queryForObject(sql, String.class, args)).append(';');
        }
        return digest.toString();
    }

    // ---- the cases ------------------------------------------------------------------------

    private static Case json(String name, String text) {
        return new Case(name, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Case> jsonCases(JsonNode example, Random random) {
        String valid = IvsClient.json(example);
        List<Case> cases = new ArrayList<>();
        cases.add(json("not JSON", "garbage{"));
        cases.add(json("truncated", valid.substring(0, valid.length() / 2)));
        cases.add(json("trailing garbage", valid + " }"));
        cases.add(new Case(
                "invalid UTF-8",
                "application/json",
                rawInFirstString(example, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF})));
        cases.add(json("empty body", ""));
        cases.add(json("null", "null"));
        if (!example.isArray()) {
            // A list field takes a single string or number as a list of one (Json.stringList).
            cases.add(json("a string", "\"text\""));
            cases.add(json("a number", "42"));
        }
        cases.add(json("a boolean", "true"));
        cases.add(json("the other container", example.isArray() ? "{}" : "[[]]"));
        cases.add(json("1000 levels of nesting", "[".repeat(1000) + "]".repeat(1000)));
        cases.add(json("duplicate key", duplicateKey(example)));
        cases.add(new Case(
                "overlong UTF-8 NUL",
                "application/json",
                rawInFirstString(example, new byte[] {(byte) 0xC0, (byte) 0x80})));
        cases.add(json("unpaired surrogate", firstString(example, "\\ud800x")));
        cases.add(json("NUL in a string", firstString(example, "a\\u0000b")));
        cases.add(json("2 MB string", firstString(example, "x".repeat(2_000_000))));
        cases.add(json("100k-element array", replaceFirst(example, hugeArray())));
        if (example.isArray()) {
            cases.add(json("null item", "[null]"));
            if (example.get(0).isObject()) {
                cases.add(json("5000 items", manyItems(example.get(0), 5_000)));
            }
            cases.add(json("item not an object", "[[" + IvsClient.json(example.get(0)) + "]]"));
        }
        for (String number : List.of(
                "1e400", "-1e400", "1e2147483648", "123456789012345678901234567890.5", "1e-400")) {
            if (hasNumber(example)) {
                cases.add(json("number " + number, replaceNumbers(valid, example, number)));
            }
        }
        cases.add(json("every field missing", example.isArray() ? "[{}]" : "{}"));
        cases.add(json("every value null", IvsClient.json(mapScalars(example, true))));
        cases.add(json("extra field, deeply nested", extraNested(example)));
        for (String path : samplePaths(example, random)) {
            for (JsonNode wrong : wrongTypes(at(example, path))) {
                JsonNode copy = example.deepCopy();
                set(copy, path, wrong);
                cases.add(json("wrong type at " + path + ": " + wrong, IvsClient.json(copy)));
            }
        }
        return cases;
    }

    private static List<Case> formCases() {
        String form = "application/x-www-form-urlencoded";
        List<Case> cases = new ArrayList<>();
        for (String body : List.of(
                "",
                "grant_type=client_credentials",
                "grant_type=password&client_id=x&client_secret=y",
                "grant_type=client_credentials&client_id=%zz&client_secret=%",
                "grant_type=client_credentials&client_id=a&client_id=b&client_secret=c",
                "grant_type=client_credentials&client_id=" + "x".repeat(100_000)
                        + "&client_secret=y",
                "grant_type=client_credentials&client_id=a%00b&client_secret=c",
                "grant_type=client_credentials&client_id=" + IvsClient.ADMIN_ID
                        + "&client_secret=wrong",
                "&&&===&&&")) {
            cases.add(new Case(
                    "form " + abbreviate(body), form, body.getBytes(StandardCharsets.UTF_8)));
        }
        cases.add(new Case(
                "form with invalid UTF-8",
                form,
                concat(
                        "grant_type=client_credentials&client_id=".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        "&client_secret=x".getBytes(StandardCharsets.UTF_8))));
        cases.add(json("JSON instead of a form", "{\"grant_type\": \"client_credentials\"}"));
        return cases;
    }

    /** The example with raw bytes (not valid UTF-8) inside its first string value. */
    private static byte[] rawInFirstString(JsonNode example, byte[] raw) {
        String marker = "\u0001RAW\u0001";
        JsonNode copy = example.deepCopy();
        String path = firstPath(copy, JsonNode::isString);
        if (path == null) {
            return concat(new byte[] {'[', '"'}, raw, new byte[] {'"', ']'});
        }
        set(copy, path, NODES.stringNode(marker));
        String text = IvsClient.json(copy);
        String quoted = IvsClient.json(NODES.stringNode(marker));
        int at = text.indexOf(quoted);
        return concat(
                text.substring(0, at + 1).getBytes(StandardCharsets.UTF_8),
                "x".getBytes(StandardCharsets.UTF_8),
                raw,
                text.substring(at + quoted.length() - 1).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static ObjectNode firstObject(JsonNode example) {
        if (example.isObject()) {
            return (ObjectNode) example;
        }
        for (JsonNode item : example) {
            if (item.isObject()) {
                return (ObjectNode) item;
            }
        }
        return null;
    }

    private static String duplicateKey(JsonNode example) {
        JsonNode copy = example.deepCopy();
        ObjectNode object = firstObject(copy);
        if (object == null || object.isEmpty()) {
            return "{\"a\": 1, \"a\": 2}";
        }
        String key = object.propertyNames().iterator().next();
        String text = IvsClient.json(copy);
        String first = "\"" + key + "\":";
        int at = text.indexOf(first);
        return text.substring(0, at) + first + "\"dup\"," + text.substring(at);
    }

    /** The example with its first string value replaced by a raw JSON string literal body. */
    private static String firstString(JsonNode example, String rawContent) {
        String marker = "\u0001MARK\u0001";
        JsonNode copy = example.deepCopy();
        String path = firstPath(copy, JsonNode::isString);
        if (path == null) {
            return "[\"" + rawContent + "\"]";
        }
        set(copy, path, NODES.stringNode(marker));
        return IvsClient.json(copy)
                .replace(IvsClient.json(NODES.stringNode(marker)), "\"" + rawContent + "\"");
    }

    private static ArrayNode hugeArray() {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < 100_000; i++) {
            array.add(i);
        }
        return array;
    }

    private static String replaceFirst(JsonNode example, JsonNode value) {
        JsonNode copy = example.deepCopy();
        String path = firstPath(copy, node -> !node.isContainer());
        if (path == null) {
            return IvsClient.json(value);
        }
        set(copy, path, value);
        return IvsClient.json(copy);
    }

    private static String manyItems(JsonNode item, int count) {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            JsonNode copy = item.deepCopy();
            if (copy instanceof ObjectNode object && object.has("id")) {
                object.put("id", "many-" + i);
            }
            array.add(copy);
        }
        return IvsClient.json(array);
    }

    private static boolean hasNumber(JsonNode example) {
        return firstPath(example, JsonNode::isNumber) != null;
    }

    /** Every number of the example written as {@code number} (raw, so out of any range). */
    private static String replaceNumbers(String valid, JsonNode example, String number) {
        String marker = "\u0001NUM\u0001";
        JsonNode copy = example.deepCopy();
        for (String path : paths(copy)) {
            if (at(copy, path).isNumber()) {
                set(copy, path, NODES.stringNode(marker));
            }
        }
        return IvsClient.json(copy).replace(IvsClient.json(NODES.stringNode(marker)), number);
    }

    private static JsonNode mapScalars(JsonNode node, boolean toNull) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                copy.set(e.getKey(), mapScalars(e.getValue(), toNull));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            for (JsonNode item : node) {
                copy.add(mapScalars(item, toNull));
            }
            return copy;
        }
        return NODES.nullNode();
    }

    /** An unknown extra field whose value nests 200 levels. */
    private static String extraNested(JsonNode example) {
        JsonNode copy = example.deepCopy();
        ObjectNode object = firstObject(copy);
        if (object == null) {
            return "{\"extra\": " + "[".repeat(200) + "]".repeat(200) + "}";
        }
        object.put("unexpectedExtraField", "\u0001NEST\u0001");
        return IvsClient.json(copy)
                .replace(
                        IvsClient.json(NODES.stringNode("\u0001NEST\u0001")),
                        "[".repeat(200) + "]".repeat(200));
    }

    /** Values of another JSON shape than {@code node}, that no lenient reading can accept. */
    private static List<JsonNode> wrongTypes(JsonNode node) {
        if (node.isObject()) {
            return List.of(NODES.arrayNode().add(1), NODES.stringNode("text"));
        }
        if (node.isArray()) {
            return List.of(NODES.objectNode().put("x", 1), NODES.booleanNode(true));
        }
        return List.of(NODES.objectNode().put("x", 1), NODES.arrayNode().add("x"));
    }

    // ---- JSON paths ("/a/0/b") ------------------------------------------------------------

    private static List<String> paths(JsonNode root) {
        List<String> paths = new ArrayList<>();
        collect(root, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String path, List<String> paths) {
        if (!path.isEmpty()) {
            paths.add(path);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collect(e.getValue(), path + "/" + e.getKey(), paths);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "/" + i, paths);
            }
        }
    }

    private static String firstPath(JsonNode root, java.util.function.Predicate<JsonNode> test) {
        for (String path : paths(root)) {
            if (test.test(at(root, path))) {
                return path;
            }
        }
        return null;
    }

    private static List<String> samplePaths(JsonNode example, Random random) {
        List<String> all = paths(example);
        if (all.size() <= FIELD_PATHS_MAX) {
            return all;
        }
        List<String> sample = new ArrayList<>(all);
        java.util.Collections.shuffle(sample, random);
        return sample.subList(0, FIELD_PATHS_MAX);
    }

    private static JsonNode at(JsonNode root, String path) {
        return root.at(path.replace("~", "~0"));
    }

    private static void set(JsonNode root, String path, JsonNode value) {
        int slash = path.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : at(root, path.substring(0, slash));
        String last = path.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        }
    }

    // ---- HTTP -----------------------------------------------------------------------------

    private HttpResponse<String> send(String method, String path, Case kase) {
        return send(method, path, path, kase);
    }

    /** Sends to {@code path} with the token that {@code plainPath} needs. */
    private HttpResponse<String> send(String method, String path, String plainPath, Case kase) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        kase.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(kase.body()));
        if (kase.contentType() != null) {
            request.header("Content-Type", kase.contentType());
        }
        if (!plainPath.startsWith("/token") && !plainPath.contains("oauth2/")) {
            String context = plainPath.startsWith("/api/environment/" + env + "/")
                    ? env
                    : IvsClient.ADMIN_CONTEXT;
            request.header("Authorization", "Bearer " + client.adminToken(context));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
