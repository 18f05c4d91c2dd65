package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.ConfigurationValidator;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;
import io.ivs.server.environment.ConfigurationDocuments;
import io.ivs.server.web.Json;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

class ConfigurationEditorTest {
    private static ObjectNode defaults() throws IOException {
        try (InputStream in = ConfigurationEditorTest.class.getResourceAsStream(
                "/ivs/default-configuration.json")) {
            return (ObjectNode) Json.parse(in.readAllBytes());
        }
    }

    @Test
    void updateDataSource_formLines_replaceMeasuresAndKeepOtherFields() throws IOException {
        ObjectNode document = defaults();
        ConfigurationEditor.updateDataSource(
                document,
                "POS",
                new ConfigurationEditor.DataSourceForm(
                        "inbound, outbound\nreturned",
                        "StoreId = siteid",
                        "availquantity = pos.inbound - pos.outbound\n\ninbound2 = pos.inbound",
                        ""));

        RuntimeConfiguration config = ConfigurationDocuments.parse(document);
        var pos = config.dataSource("pos").orElseThrow();
        assertThat(pos.physicalMeasures())
                .containsExactlyInAnyOrder("inbound", "outbound", "returned");
        assertThat(pos.dimensionMappings()).containsEntry("storeid", "siteid");
        assertThat(pos.calculatedMeasures().get("availquantity").subtractions())
                .containsExactly(new MeasureRef("pos", "outbound"));
        assertThat(pos.calculatedMeasures().get("inbound2").additions())
                .containsExactly(new MeasureRef("pos", "inbound"));
        assertThat(document.get("cachePartitionIdVersion").asString())
                .isEqualTo("ByLocationAndProductIdMod64");
        assertThat(ConfigurationValidator.validate(config)).isEmpty();
    }

    @Test
    void updateDataSource_badFormula_namesTheMeasure() throws IOException {
        ObjectNode document = defaults();
        var form =
                new ConfigurationEditor.DataSourceForm("inbound", "", "x = pos.inbound pos.a", "");

        assertThatThrownBy(() -> ConfigurationEditor.updateDataSource(document, "pos", form))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("calculatedMeasures.x: ");
    }

    @Test
    void addAndRemoveDataSource_changeTheDocument() throws IOException {
        ObjectNode document = defaults();

        ConfigurationEditor.addDataSource(document, "ecom");
        assertThat(ConfigurationDocuments.parse(document).dataSource("ecom")).isPresent();
        assertThatThrownBy(() -> ConfigurationEditor.addDataSource(document, "ECOM"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("exists already");

        ConfigurationEditor.removeDataSource(document, "Ecom");
        assertThat(ConfigurationDocuments.parse(document).dataSource("ecom")).isEmpty();
    }

    @Test
    void updateSettings_switchesAndLists_areWrittenWithTheirDocumentedNames() throws IOException {
        ObjectNode document = defaults();
        ConfigurationEditor.updateSettings(
                document,
                new ConfigurationEditor.SettingsForm(
                        "product",
                        "colorid, sizeid",
                        true,
                        1,
                        "siteid, locationid",
                        true,
                        14,
                        "iv.availabletoreserve",
                        "colorid",
                        null,
                        "channel, region"));

        RuntimeConfiguration config = ConfigurationDocuments.parse(document);
        assertThat(config.partitionRule()).isEqualTo(PartitionRule.BY_PRODUCT);
        assertThat(config.indexSets().getFirst().keys()).containsExactly("colorid", "sizeid");
        assertThat(config.reservation().enabled()).isTrue();
        assertThat(config.reservation().version()).isEqualTo(1);
        assertThat(config.schedule().periodDays()).isEqualTo(14);
        assertThat(config.schedule().atpMeasures())
                .containsExactly(new MeasureRef("iv", "availabletoreserve"));
        assertThat(config.allocation().enabled()).isFalse();
        assertThat(config.allocation().groups()).containsExactly("channel", "region");
        assertThat(document.get("allocationConfiguration").get("groupsOrder").toString())
                .isEqualTo("{\"channel\":\"g0\",\"region\":\"g1\"}");
    }

    @Test
    void updateSettings_unknownPartitionRule_isRejected() throws IOException {
        var form = new ConfigurationEditor.SettingsForm(
                "sideways", "", null, 0, "", null, 30, "", "", null, "");

        assertThatThrownBy(() -> ConfigurationEditor.updateSettings(defaults(), form))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("partitionRule: ");
    }

    @Test
    void updateSettings_bothFlagsAndObjectFormAtp_areKept() throws IOException {
        ObjectNode document = defaults();
        ObjectNode schedule = (ObjectNode) document.get("scheduleConfiguration");
        schedule.putObject("atpCalculatedMeasures")
                .putObject("@iv")
                .put("@available_to_reserve", 7);
        var form = new ConfigurationEditor.SettingsForm(
                "location-and-product",
                "colorid",
                null,
                0,
                "siteid, locationid",
                true,
                30,
                "@iv.@available_to_reserve, @iv.@available_to_allocate",
                "colorid",
                null,
                "channel");

        ConfigurationEditor.updateSettings(document, form);
        RuntimeConfiguration config = ConfigurationDocuments.parse(document);

        assertThat(config.partitionRule()).isEqualTo(PartitionRule.BY_LOCATION_AND_PRODUCT);
        MeasureRef atr = new MeasureRef("@iv", "@available_to_reserve");
        MeasureRef ata = new MeasureRef("@iv", "@available_to_allocate");
        assertThat(config.schedule().atpMeasures()).containsExactlyInAnyOrder(atr, ata);
        assertThat(config.schedule().periodDays(atr)).isEqualTo(7);
        assertThat(config.schedule().periodDays(ata)).isEqualTo(30);
        assertThat(document.get("scheduleConfiguration")
                        .get("atpCalculatedMeasures")
                        .isObject())
                .isTrue();
        assertThat(ConfigurationView.of(config).settingsForm().partitionRule())
                .isEqualTo("location-and-product");
    }
}
