package io.ivs.server.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The runtime configuration over HTTP (spec §3, DESIGN D10): the shipped defaults, the round
 * trip of {@code hardupdate} (unchanged apart from the server-assigned version), versions, only
 * complete documents becoming active, whole-document validation with every problem named, the
 * partition rule guard and that a new configuration is used by the next request.
 */
class ConfigurationIntegrationTest extends HttpTestSupport {

    private static final String EVENT = """
            {"id": "%s", "organizationId": "usmf", "productId": "%s",
             "dimensions": %s, "quantities": %s}""";
    private static final String SITE_1_LOC_11 = """
            {"siteId": "1", "locationId": "11", "colorId": "red"}""";

    private IvsClient.Response hardUpdate(String environmentId, String document) {
        return client.post(
                "/api/environment/" + environmentId + "/configuration/hardupdate", document);
    }

    private IvsClient.Response hardUpdate(ObjectNode document) {
        return hardUpdate(env, IvsClient.json(document));
    }

    private List<Integer> versions(String environmentId) {
        IvsClient.Response response =
                client.get("/admin/environments/" + environmentId + "/configuration/versions");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<Integer> versions = new ArrayList<>();
        for (JsonNode v : response.json()) {
            versions.add(v.path("version").asInt());
        }
        return versions;
    }

    private static ObjectNode source(ObjectNode document, String name) {
        return (ObjectNode) document.get("inventorySystemConfigurations").get(name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            values.add(item.asString());
        }
        return values;
    }

    private IvsClient.Response post(String id, String product, String dims, String quantities) {
        return client.post(api("/onhand"), EVENT.formatted(id, product, dims, quantities));
    }

    @Test
    void get_newEnvironment_answersShippedDefaults() {
        ObjectNode document = configuration();

        assertThat(document.path("environmentId").asString()).isEqualTo(env);
        JsonNode systems = document.path("inventorySystemConfigurations");
        assertThat(systems.propertyNames())
                .containsExactlyInAnyOrder("fno", "iv", "pos", "iom", "erp", "@iv");
        JsonNode iv = systems.path("iv");
        assertThat(texts(iv.path("physicalMeasures")))
                .containsExactlyInAnyOrder("ordered", "softreserved");
        JsonNode atr = iv.path("calculatedMeasures").path("availabletoreserve");
        assertThat(texts(atr.path("additionModifiers")))
                .containsExactlyInAnyOrder(
                        "fno.physicalinvent",
                        "fno.ordered",
                        "fno.arrived",
                        "pos.inbound",
                        "iv.ordered");
        assertThat(texts(atr.path("subtractionModifiers")))
                .containsExactlyInAnyOrder(
                        "fno.reservphysical",
                        "iv.softreserved",
                        "pos.outbound",
                        "fno.softreserved");
        assertThat(iv.path("calculatedMeasures").propertyNames())
                .containsExactlyInAnyOrder("availabletoreserve", "totalavailable", "totalonhand");
        assertThat(texts(iv.path("calculatedMeasures")
                        .path("totalavailable")
                        .path("subtractionModifiers")))
                .containsExactlyInAnyOrder("iv.softreserved", "@iv.@allocated");
        assertThat(iv.path("reservMappings").path("softreserved").asString())
                .isEqualTo("iv.availabletoreserve");
        assertThat(texts(systems.path("pos").path("physicalMeasures")))
                .containsExactlyInAnyOrder("inbound", "outbound");
        assertThat(texts(systems.path("iom").path("physicalMeasures")))
                .containsExactlyInAnyOrder("onorder", "onhand");
        assertThat(texts(systems.path("erp").path("physicalMeasures")))
                .containsExactlyInAnyOrder("unrestricted", "qualityinspection");
        assertThat(texts(systems.path("fno").path("physicalMeasures")))
                .hasSize(15)
                .contains("physicalinvent", "reservphysical", "availphysical", "softreserved");
        assertThat(systems.path("fno")
                        .path("dimensionMappings")
                        .path("inventstatusid")
                        .asString())
                .isEqualTo("statusid");
        assertThat(texts(systems.path("@iv").path("physicalMeasures")))
                .contains("@softreserved", "@allocated");
        assertThat(document.path("partitionConfiguration").path("useDimensions").asBoolean())
                .isTrue();
        assertThat(texts(document.path("indexConfiguration")
                        .path("indexAttributeSets")
                        .get(0)
                        .path("keys")))
                .containsExactly("colorid", "sizeid", "styleid");
        assertThat(versions(env)).containsExactly(1);
    }

    @Test
    void hardUpdate_unknownAndUnusedFields_areReturnedUnchanged() {
        ObjectNode document = configuration();
        ObjectNode whs = document.putObject("whsConfiguration");
        whs.put("someFutureFlag", true);
        ObjectNode extension = document.putObject("myExtension");
        extension.putArray("a").add(1).add(2);
        source(document, "pos").put("vendorNote", "kept as is");

        IvsClient.Response update = hardUpdate(document);

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(update.json().path("processingStatus").asString()).isEqualTo("success");
        ObjectNode stored = configuration();
        document.put("configurationVersion", 2);
        assertThat(stored).isEqualTo(document);
        assertThat(stored.path("whsConfiguration").path("someFutureFlag").asBoolean())
                .isTrue();
        assertThat(stored.path("whsConfiguration").size()).isEqualTo(1);
        assertThat(stored.path("myExtension").path("a").get(1).asInt()).isEqualTo(2);
        assertThat(source(stored, "pos").path("vendorNote").asString()).isEqualTo("kept as is");
    }

    @Test
    void hardUpdate_configurationVersionInTheBody_isReplacedByTheAssignedVersion() {
        ObjectNode document = configuration();
        document.put("configurationVersion", 42);

        IvsClient.Response update = hardUpdate(document);

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        ObjectNode stored = configuration();
        assertThat(stored.path("configurationVersion").asInt()).isEqualTo(2);
        document.put("configurationVersion", 2);
        assertThat(stored).isEqualTo(document);
        assertThat(versions(env)).containsExactly(2, 1);
    }

    @Test
    void hardUpdate_documentText_keepsFieldOrderAndKeySpelling() {
        String text = IvsClient.json(configuration())
                .replace("\"isUninstalled\"", "\n  \"IsUninstalled\"");

        IvsClient.Response update = hardUpdate(env, text);

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        String stored = client.get(api("/configuration")).body();
        assertThat(stored).contains("\"IsUninstalled\"").doesNotContain("\"isUninstalled\"");
        assertThat(IvsClient.parse(stored).propertyNames())
                .containsExactlyElementsOf(IvsClient.parse(text).propertyNames());
    }

    @Test
    void hardUpdate_roundTrip_isEqualApartFromTheVersion() {
        ObjectNode before = configuration();

        IvsClient.Response update = hardUpdate(before);
        ObjectNode after = configuration();

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(after.path("configurationVersion").asInt()).isEqualTo(2);
        assertThat(after.deepCopy().put("configurationVersion", 1)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompleteDocuments")
    void hardUpdate_incompleteDocument_isA400NamingTheSectionAndStoresNothing(
            String body, List<String> named) {
        ObjectNode before = configuration();

        IvsClient.Response rejected = hardUpdate(env, body);

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        assertThat(rejected.json().path("statusCode").asInt()).isEqualTo(400);
        assertThat(rejected.json().path("message").asString()).contains(named);
        assertThat(configuration()).isEqualTo(before);
        assertThat(versions(env)).containsExactly(1);
        IvsClient.Response write = post("e1", "P1", SITE_1_LOC_11, "{\"pos\": {\"inbound\": 1}}");
        assertThat(write.status()).as(write.body()).isEqualTo(200);
    }

    static Stream<Arguments> incompleteDocuments() {
        String allSectionsNull = """
                {"inventorySystemConfigurations": null, "partitionConfiguration": null,
                 "indexConfiguration": null, "reservConfiguration": null,
                 "scheduleConfiguration": null, "allocationConfiguration": null}""";
        String noPhysicalMeasure = """
                {"inventorySystemConfigurations": {"diff": {"physicalMeasures": []}},
                 "partitionConfiguration": {"useDimensions": true},
                 "indexConfiguration": {"indexAttributeSets": []}}""";
        return Stream.of(
                Arguments.of(
                        "{}",
                        List.of(
                                "inventorySystemConfigurations is required",
                                "partitionConfiguration is required",
                                "indexConfiguration is required")),
                Arguments.of(allSectionsNull, List.of("inventorySystemConfigurations is required")),
                Arguments.of(noPhysicalMeasure, List.of("no data source has a physical measure")));
    }

    @Test
    void hardUpdate_nullFeatureSections_areOff() {
        ObjectNode document = configuration();
        document.putNull("reservConfiguration");
        document.putNull("scheduleConfiguration");
        document.putNull("allocationConfiguration");
        document.putNull("whsConfiguration");

        IvsClient.Response update = hardUpdate(document);
        IvsClient.Response write = post("e1", "P1", SITE_1_LOC_11, "{\"pos\": {\"inbound\": 1}}");

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(write.status()).as(write.body()).isEqualTo(200);
        assertThat(configuration().get("reservConfiguration").isNull()).isTrue();
    }

    @Test
    void hardUpdate_documentOfAnotherEnvironment_isA400() {
        ObjectNode before = configuration();
        ObjectNode document = before.deepCopy();
        document.put("environmentId", "d2a5e1c0-0000-4000-8000-000000000001");

        IvsClient.Response rejected = hardUpdate(document);

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        assertThat(rejected.json().path("message").asString())
                .contains("environmentId", "d2a5e1c0-0000-4000-8000-000000000001", env);
        assertThat(configuration()).isEqualTo(before);
    }

    @Test
    void hardUpdate_emptyEnvironmentId_isFilledFromThePath() {
        ObjectNode document = configuration();
        document.put("environmentId", "");

        IvsClient.Response update = hardUpdate(document);
        IvsClient.Response upperCase = hardUpdate(
                configuration().put("environmentId", env.toUpperCase(java.util.Locale.ROOT)));

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(upperCase.status()).as(upperCase.body()).isEqualTo(200);
        assertThat(client.get(api("/configuration"))
                        .json()
                        .path("environmentId")
                        .asString())
                .isEqualTo(env.toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void hardUpdate_eachSuccess_incrementsTheVersion() {
        assertThat(versions(env)).containsExactly(1);

        IvsClient.Response second = hardUpdate(configuration());
        IvsClient.Response third = hardUpdate(configuration());

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("message").asString()).contains("version 2");
        assertThat(third.json().path("message").asString()).contains("version 3");
        assertThat(versions(env)).containsExactly(3, 2, 1);
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                Arguments.of(
                        "mapping to a non-base dimension",
                        (Consumer<ObjectNode>)
                                d -> ((ObjectNode) source(d, "pos").get("dimensionMappings"))
                                        .put("poscolour", "colour"),
                        List.of(
                                "data source 'pos'",
                                "'poscolour'",
                                "'colour'",
                                "not a base dimension")),
                Arguments.of(
                        "calculated measure naming an unknown data source",
                        (Consumer<ObjectNode>) d -> calculated(
                                source(d, "pos"),
                                "shadow",
                                new String[] {"shop.sold"},
                                new String[0]),
                        List.of(
                                "'pos.shadow'",
                                "'shop.sold'",
                                "data source 'shop'",
                                "not configured")),
                Arguments.of(
                        "calculated measure naming an unknown measure",
                        (Consumer<ObjectNode>) d -> calculated(
                                source(d, "pos"),
                                "shadow",
                                new String[] {"pos.inbound"},
                                new String[] {"pos.returned"}),
                        List.of(
                                "'pos.shadow'",
                                "'pos.returned'",
                                "not a physical measure of data source 'pos'")),
                Arguments.of(
                        "nested calculated measure",
                        (Consumer<ObjectNode>) d -> calculated(
                                source(d, "pos"),
                                "nested",
                                new String[] {"iv.totalonhand"},
                                new String[0]),
                        List.of("'pos.nested'", "'iv.totalonhand'", "cannot be nested")),
                Arguments.of(
                        "duplicate component",
                        (Consumer<ObjectNode>) d -> calculated(
                                source(d, "pos"),
                                "twice",
                                new String[] {"pos.inbound", "pos.inbound"},
                                new String[0]),
                        List.of("'pos.twice'", "'pos.inbound'", "more than once")),
                Arguments.of(
                        "index key that is not a base dimension",
                        (Consumer<ObjectNode>) d -> indexKeys(d).add("colour"),
                        List.of("index set 1", "'colour'", "not a base dimension")),
                Arguments.of(
                        "partition dimension in a query index",
                        (Consumer<ObjectNode>) d -> indexKeys(d).add("siteid"),
                        List.of("index set 1", "'siteid'", "partition dimension")),
                Arguments.of(
                        "reservation key that is not a base dimension",
                        (Consumer<ObjectNode>)
                                d -> ((ArrayNode) d.get("reservConfiguration").get("keys"))
                                        .add("colour"),
                        List.of("reservConfiguration.keys", "'colour'", "not a base dimension")));
    }

    private static ArrayNode indexKeys(ObjectNode document) {
        return (ArrayNode) document.get("indexConfiguration")
                .get("indexAttributeSets")
                .get(0)
                .get("keys");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void hardUpdate_invalidRule_isRejectedNamingTheCulprit(
            String rule, Consumer<ObjectNode> edit, List<String> named) {
        ObjectNode before = configuration();
        ObjectNode document = before.deepCopy();
        edit.accept(document);

        IvsClient.Response rejected = hardUpdate(document);

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        JsonNode body = rejected.json();
        assertThat(body.path("processingStatus").asString()).isEqualTo("failure");
        assertThat(body.path("statusCode").asInt()).isEqualTo(400);
        List<String> errors = texts(body.path("errors"));
        assertThat(errors).as(rule).hasSize(1);
        assertThat(errors.get(0)).as(rule).contains(named);
        assertThat(body.path("message").asString()).contains(named.get(1));
        assertThat(configuration()).isEqualTo(before);
        assertThat(versions(env)).containsExactly(1);
    }

    @Test
    void hardUpdate_severalProblems_listsEveryOne() {
        ObjectNode document = configuration();
        ((ObjectNode) source(document, "pos").get("dimensionMappings")).put("poscolour", "colour");
        calculated(
                source(document, "iv"),
                "nested",
                new String[] {"pos.availquantity"},
                new String[0]);
        indexKeys(document).add("siteid");
        ((ArrayNode) document.get("reservConfiguration").get("keys")).add("shelf");

        IvsClient.Response rejected = hardUpdate(document);

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        List<String> errors = texts(rejected.json().path("errors"));
        assertThat(errors).hasSize(4);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("'poscolour'", "'colour'"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("'iv.nested'", "'pos.availquantity'"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("index set 1", "'siteid'"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("reservConfiguration.keys", "'shelf'"));
        assertThat(versions(env)).containsExactly(1);
    }

    @Test
    void hardUpdate_invalidDocument_leavesActiveConfigurationInEffect() {
        ObjectNode before = configuration();
        ObjectNode document = before.deepCopy();
        ((ArrayNode) source(document, "pos").get("physicalMeasures")).add("returned");
        calculated(source(document, "pos"), "broken", new String[] {"nowhere.qty"}, new String[0]);

        IvsClient.Response rejected = hardUpdate(document);
        IvsClient.Response write = post("e1", "P1", SITE_1_LOC_11, "{\"pos\": {\"returned\": 1}}");

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        assertThat(configuration()).isEqualTo(before);
        assertThat(write.status()).as(write.body()).isEqualTo(400);
        assertThat(write.json().path("message").asString()).contains("quantities.pos.returned");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDocuments")
    void hardUpdate_malformedDocument_isA400NamingTheProblem(String body, String named) {
        ObjectNode before = configuration();

        IvsClient.Response rejected = hardUpdate(env, body);

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        assertThat(rejected.json().path("message").asString()).contains(named);
        assertThat(configuration()).isEqualTo(before);
    }

    static Stream<Arguments> malformedDocuments() {
        return Stream.of(
                Arguments.of("", "body"),
                Arguments.of("{\"inventorySystemConfigurations\": ", "not valid JSON"),
                Arguments.of("[]", "configuration"),
                Arguments.of("{\"inventorySystemConfigurations\": []", "not valid JSON"),
                Arguments.of(
                        "{\"inventorySystemConfigurations\":"
                                + " {\"pos\": {\"physicalMeasures\": {}}}}",
                        "inventorySystemConfigurations.pos.physicalMeasures"),
                Arguments.of(
                        "{\"inventorySystemConfigurations\": {\"pos\": {\"physicalMeasures\": "
                                + "[\"a\", \"A\"]}}}",
                        "listed twice"),
                Arguments.of(
                        "{\"partitionConfiguration\":"
                                + " {\"useProductId\": false, \"useDimensions\": false}}",
                        "partitionConfiguration"),
                Arguments.of("{\"a\": 1, \"a\": 2}", "Duplicate"),
                Arguments.of(
                        "{\"inventorySystemConfigurations\": {\"pos\": {\"physicalMeasures\": "
                                + "[\"in\\u0000bound\"]}}}",
                        "inventorySystemConfigurations.pos.physicalMeasures[0]"),
                Arguments.of(
                        "{\"inventorySystemConfigurations\":"
                                + " {\"p\\u0000s\": {\"physicalMeasures\": [\"inbound\"]}}}",
                        "inventorySystemConfigurations."));
    }

    @Test
    void hardUpdate_partitionRuleChangeWithData_isRejectedWith409() {
        IvsClient.Response write = post("e1", "P1", SITE_1_LOC_11, "{\"pos\": {\"inbound\": 3}}");
        assertThat(write.status()).as(write.body()).isEqualTo(200);
        ObjectNode before = configuration();
        ObjectNode document = before.deepCopy();
        byProduct(document);

        IvsClient.Response rejected = hardUpdate(document);

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(409);
        assertThat(rejected.json().path("statusCode").asInt()).isEqualTo(409);
        assertThat(rejected.json().path("message").asString()).contains("partition rule");
        assertThat(configuration()).isEqualTo(before);
        IvsClient.Response noSite =
                post("e2", "P1", "{\"colorId\": \"red\"}", "{\"pos\": {\"inbound\": 1}}");
        assertThat(noSite.status()).as(noSite.body()).isEqualTo(400);
        assertThat(noSite.json().path("message").asString()).contains("dimensions.siteId");
    }

    @Test
    void hardUpdate_partitionRuleChangeAfterCleanup_isAccepted() {
        post("e1", "P1", SITE_1_LOC_11, "{\"pos\": {\"inbound\": 3}}");
        ObjectNode document = configuration();
        byProduct(document);
        assertThat(hardUpdate(document).status()).isEqualTo(409);

        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), null);
        IvsClient.Response update = hardUpdate(document);

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(configuration()
                        .path("partitionConfiguration")
                        .path("useProductId")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void hardUpdate_partitionRuleChangeWithoutData_byProductAcceptsEventsWithoutLocation() {
        ObjectNode document = configuration();
        byProduct(document);

        IvsClient.Response update = hardUpdate(document);
        IvsClient.Response first =
                post("e1", "P1", "{\"colorId\": \"red\"}", "{\"pos\": {\"inbound\": 4}}");
        IvsClient.Response second = post("e2", "P1", "{}", "{\"pos\": {\"inbound\": 2}}");
        IvsClient.Response query = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""");

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(query.status()).as(query.body()).isEqualTo(200);
        assertThat(query.json()).hasSize(1);
        assertThat(quantity(query.json().get(0), "pos", "inbound")).isEqualTo("6");
        assertThat(texts(client.get(api("/allpartitionids")).json())).containsExactly("usmf~P1");
    }

    private static void byProduct(ObjectNode document) {
        ObjectNode partition = document.putObject("partitionConfiguration");
        partition.put("useProductId", true);
        partition.put("useDimensions", false);
        document.put("cachePartitionIdVersion", "ByProductId");
    }

    @Test
    void hardUpdate_unknownEnvironment_createsIt() {
        String fresh = "cfg-" + UUID.randomUUID();
        ObjectNode document = configuration();
        document.put("environmentId", fresh);
        dataSource(document, "shop").putArray("physicalMeasures").add("sold");
        assertThat(client.get("/api/environment/" + fresh + "/configuration").status())
                .isEqualTo(404);

        IvsClient.Response created = hardUpdate(fresh, IvsClient.json(document));

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("message").asString()).contains("version 1");
        IvsClient.Response stored = client.get("/api/environment/" + fresh + "/configuration");
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json()).isEqualTo(document);
        assertThat(texts(client.get("/admin/environments").json())).contains(fresh, env);
        assertThat(versions(fresh)).containsExactly(1);
        IvsClient.Response again = client.put("/admin/environments/" + fresh, null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("created").asBoolean()).isFalse();
        assertThat(client.get("/api/environment/" + fresh + "/configuration").json())
                .isEqualTo(document);
    }

    @Test
    void hardUpdate_invalidDocumentForUnknownEnvironment_createsNothing() {
        String fresh = "cfg-" + UUID.randomUUID();
        ObjectNode document = configuration();
        indexKeys(document).add("colour");

        IvsClient.Response rejected = hardUpdate(fresh, IvsClient.json(document));

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
        assertThat(client.get("/api/environment/" + fresh + "/configuration").status())
                .isEqualTo(404);
        assertThat(texts(client.get("/admin/environments").json())).doesNotContain(fresh);
    }

    @Test
    void hardUpdate_fieldNamesInAnyCase_areUnderstood() {
        ObjectNode document = configuration();
        JsonNode systems = document.remove("inventorySystemConfigurations");
        ObjectNode renamed = document.putObject("InventorySystemConfigurations");
        renamed.setAll((ObjectNode) systems);
        ObjectNode shop = renamed.putObject("Shop");
        shop.put("DataSourceName", "Shop");
        shop.putObject("DimensionMappings").put("ShopColour", "ColorId");
        shop.putArray("PhysicalMeasures").add("Sold").add("Received");
        ObjectNode net = shop.putObject("CalculatedMeasures").putObject("Net");
        net.putArray("AdditionModifiers").add("Shop.Received");
        net.putArray("SubtractionModifiers").add("SHOP.SOLD");

        IvsClient.Response update = hardUpdate(document);
        IvsClient.Response write = client.post(api("/onhand"), """
                {"id": "e1", "organizationId": "usmf", "productId": "P1",
                 "dimensionDataSource": "shop",
                 "dimensions": {"siteId": "1", "locationId": "11", "shopcolour": "red"},
                 "quantities": {"SHOP": {"received": 10, "SOLD": 3}}}""");
        IvsClient.Response query = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "colorId": ["red"]},
                 "groupByValues": ["colorId"]}""");

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(write.status()).as(write.body()).isEqualTo(200);
        assertThat(query.status()).as(query.body()).isEqualTo(200);
        assertThat(query.json()).hasSize(1);
        JsonNode row = query.json().get(0);
        assertThat(row.path("dimensions").path("ColorId").asString()).isEqualTo("red");
        assertThat(quantity(row, "Shop", "received")).isEqualTo("10");
        assertThat(quantity(row, "Shop", "sold")).isEqualTo("3");
        assertThat(quantity(row, "Shop", "net")).isEqualTo("7");
    }

    @Test
    void hardUpdate_addedMeasure_isWritableByTheNextRequest() {
        IvsClient.Response before = post("e1", "P1", SITE_1_LOC_11, "{\"pos\": {\"returned\": 2}}");
        assertThat(before.status()).as(before.body()).isEqualTo(400);
        assertThat(before.json().path("message").asString())
                .contains("quantities.pos.returned", "not a physical measure");

        configure(d -> ((ArrayNode) source(d, "pos").get("physicalMeasures")).add("returned"));
        IvsClient.Response after = post("e2", "P1", SITE_1_LOC_11, "{\"pos\": {\"returned\": 2}}");
        IvsClient.Response query = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""");

        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(query.json()).hasSize(1);
        assertThat(quantity(query.json().get(0), "pos", "returned")).isEqualTo("2");
    }

    @Test
    void hardUpdate_removedDataSource_rejectsTheNextWrite() {
        assertThat(post("e1", "P1", SITE_1_LOC_11, "{\"erp\": {\"unrestricted\": 1}}")
                        .status())
                .isEqualTo(200);

        configure(d -> ((ObjectNode) d.get("inventorySystemConfigurations")).remove("erp"));
        IvsClient.Response after =
                post("e2", "P1", SITE_1_LOC_11, "{\"erp\": {\"unrestricted\": 1}}");

        assertThat(after.status()).as(after.body()).isEqualTo(400);
        assertThat(after.json().path("message").asString()).contains("quantities.erp", "'erp'");
    }

    @Test
    void configuration_unknownEnvironment_is404() {
        String missing = "missing-" + UUID.randomUUID();

        IvsClient.Response get = client.get("/api/environment/" + missing + "/configuration");
        IvsClient.Response versions =
                client.get("/admin/environments/" + missing + "/configuration/versions");

        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().path("statusCode").asInt()).isEqualTo(404);
        assertThat(get.json().path("message").asString()).contains(missing);
        assertThat(versions.status()).isEqualTo(404);
    }

    @Test
    void createEnvironment_twice_answers201Then200() {
        String fresh = "env-" + UUID.randomUUID();

        IvsClient.Response first = client.put("/admin/environments/" + fresh, null);
        IvsClient.Response second = client.put("/admin/environments/" + fresh, null);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().path("created").asBoolean()).isTrue();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("created").asBoolean()).isFalse();
        assertThat(second.json().path("environmentId").asString()).isEqualTo(fresh);
        assertThat(versions(fresh)).containsExactly(1);
    }

    @Test
    void createEnvironment_invalidId_isA400() {
        IvsClient.Response response = client.put("/admin/environments/-bad", null);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("environmentId");
        assertThat(texts(client.get("/admin/environments").json())).doesNotContain("-bad");
    }
}
