package io.ivs.server.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;
import io.ivs.server.web.Json;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** Reading the original's document shapes, and what the server owns in a stored document. */
class ConfigurationDocumentsTest {
    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_bothPartitionFlags_isByLocationAndProduct() {
        RuntimeConfiguration config = ConfigurationDocuments.parse(parse("""
                {"partitionConfiguration": {"useProductId": true, "useDimensions": true}}"""));

        assertThat(config.partitionRule()).isEqualTo(PartitionRule.BY_LOCATION_AND_PRODUCT);
    }

    @Test
    void parse_neitherPartitionFlag_namesTheSection() {
        assertThatThrownBy(() -> ConfigurationDocuments.parse(parse("""
                        {"partitionConfiguration":
                          {"useProductId": false, "useDimensions": false}}""")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("partitionConfiguration");
    }

    @Test
    void parse_atpMeasuresAsObject_keepsEachPeriod() {
        RuntimeConfiguration config = ConfigurationDocuments.parse(parse("""
                {"scheduleConfiguration": {"schedulePeriodInDays": 30,
                  "atpCalculatedMeasures":
                    {"@IV": {"@Available_To_Reserve": 7}, "iv": {"a": 3}}}}"""));

        MeasureRef atr = new MeasureRef("@iv", "@available_to_reserve");
        assertThat(config.schedule().atpMeasures()).containsExactly(atr, new MeasureRef("iv", "a"));
        assertThat(config.schedule().periodDays(atr)).isEqualTo(7);
        assertThat(config.schedule().windowDays()).isEqualTo(30);
    }

    @Test
    void parse_atpPeriodNotWholeDays_namesTheMeasure() {
        assertThatThrownBy(() -> ConfigurationDocuments.parse(parse("""
                        {"scheduleConfiguration":
                          {"atpCalculatedMeasures": {"@iv": {"@available_to_reserve": 1.5}}}}""")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(
                        "scheduleConfiguration.atpCalculatedMeasures.@iv.@available_to_reserve")
                .hasMessageContaining("whole number of days");
    }

    @Test
    void parse_availableToAllocateCalculationWithUnknownDirection_namesTheEntry() {
        assertThatThrownBy(() ->
                        ConfigurationDocuments.checkAvailableToAllocateCalculation(parse("""
                        {"allocationConfiguration": {"availableToAllocateCalculation":
                          {"iv.onhand": "addition", "@iv.@allocated": "minus"}}}""")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("availableToAllocateCalculation.@iv.@allocated")
                .hasMessageContaining("'minus'");
    }

    @Test
    void missingSections_emptyAndNullSections_nameEachRequiredOne() {
        assertThat(ConfigurationDocuments.missingSections(parse("{}"))).hasSize(3);
        assertThat(ConfigurationDocuments.missingSections(parse("""
                {"inventorySystemConfigurations": {}, "partitionConfiguration": null,
                 "IndexConfiguration": {}}""")))
                .singleElement()
                .asString()
                .startsWith("partitionConfiguration is required");
    }

    @Test
    void stored_setsVersionAndFillsEmptyEnvironmentUnderTheGivenKeys() {
        ObjectNode document = parse("""
                {"EnvironmentId": "", "a": 1, "ConfigurationVersion": 42, "b": 2}""");

        JsonNode stored =
                Json.parse(ConfigurationDocuments.stored(document, "demo", 3).getBytes());

        assertThat(stored.toString())
                .isEqualTo(
                        "{\"EnvironmentId\":\"demo\",\"a\":1,\"ConfigurationVersion\":3,\"b\":2}");
        assertThat(document.path("ConfigurationVersion").asInt()).isEqualTo(42);
    }

    @Test
    void stored_keepsANamedEnvironment() {
        JsonNode stored = Json.parse(
                ConfigurationDocuments.stored(parse("{\"environmentId\": \"DEMO\"}"), "demo", 1)
                        .getBytes());

        assertThat(stored.path("environmentId").asString()).isEqualTo("DEMO");
        assertThat(stored.path("configurationVersion").asInt()).isEqualTo(1);
        assertThat(ConfigurationDocuments.environmentId(stored)).isEqualTo("DEMO");
        assertThat(ConfigurationDocuments.environmentId(parse("{\"environmentId\": \" \"}")))
                .isNull();
    }
}
