package io.ivs.server.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.ConfigurationValidator;
import io.ivs.core.config.SummarySettings;
import io.ivs.server.environment.ConfigurationDocuments;
import io.ivs.server.web.Json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** How {@code storageConfiguration} and the preload section are read and checked. */
class SummaryConfigurationTest {
    private static SummarySettings parse(String sections) {
        String document = "{\"inventorySystemConfigurations\": {}" + sections + "}";
        return ConfigurationDocuments.parse(Json.parse(document.getBytes(StandardCharsets.UTF_8)))
                .summary();
    }

    @Test
    void parse_noSections_isOffEveryFifteenMinutesPeriodic() {
        SummarySettings settings = parse("");

        assertThat(settings).isEqualTo(SummarySettings.disabled());
        assertThat(settings.frequencyMinutes()).isEqualTo(15);
        assertThat(settings.mode()).isEqualTo(SummarySettings.RefreshMode.PERIODIC);
    }

    @Test
    void parse_switchesFrequencyAndMode_areRead() {
        SummarySettings settings = parse(", \"StorageConfiguration\": {"
                + "\"isOnHandMostSpecificStorageEnabled\": true,"
                + " \"ohmsBackgroundServiceFreq\": 7},"
                + " \"onHandIndexQueryPreloadStorageConfiguration\": {\"isEnabled\": true,"
                + " \"refreshMode\": \"Immediate\", \"groupByValues\": [\"ColorId\", \"SiteId\"]}");

        assertThat(settings.summaryEnabled()).isTrue();
        assertThat(settings.preloadEnabled()).isTrue();
        assertThat(settings.frequencyMinutes()).isEqualTo(7);
        assertThat(settings.mode()).isEqualTo(SummarySettings.RefreshMode.IMMEDIATE);
        assertThat(settings.preloadGroupBy()).containsExactly("colorid", "siteid");
        assertThat(settings.effectivePreloadGroupBy())
                .containsExactly("siteid", "locationid", "colorid");
    }

    @Test
    void parse_groupByAsSets_usesSetZero() {
        SummarySettings settings = parse(", \"onHandIndexQueryPreloadStorageConfiguration\": {"
                + "\"groupByValues\": [{\"setNumber\": 1, \"keys\": [\"sizeid\"]},"
                + " {\"setNumber\": 0, \"keys\": [\"StyleId\"]}]}");

        assertThat(settings.preloadGroupBy()).containsExactly("styleid");
        assertThat(settings.preloadEnabled()).isFalse();
    }

    @Test
    void parse_badValues_nameTheField() {
        assertThatThrownBy(() ->
                        parse(", \"storageConfiguration\": {\"ohmsBackgroundServiceFreq\": 7.5}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("storageConfiguration.ohmsBackgroundServiceFreq");
        assertThatThrownBy(() -> parse(
                        ", \"storageConfiguration\": {\"isOnHandMostSpecificStorageEnabled\": 1}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("isOnHandMostSpecificStorageEnabled");
    }

    @Test
    void validate_frequencyOutOfBoundsAndUnknownDimension_areProblems() {
        String sections = ", \"storageConfiguration\": {\"ohmsBackgroundServiceFreq\": %d},"
                + " \"onHandIndexQueryPreloadStorageConfiguration\": {\"groupByValues\": [%s]}";

        List<String> low = problems(sections.formatted(4, ""));
        List<String> high = problems(sections.formatted(1441, ""));
        List<String> unknown = problems(sections.formatted(5, "\"flavour\""));
        List<String> bounds = problems(sections.formatted(1440, "\"colorid\""));

        assertThat(low).singleElement().asString().contains("ohmsBackgroundServiceFreq", "not 4");
        assertThat(high).singleElement().asString().contains("not 1441");
        assertThat(unknown).singleElement().asString().contains("'flavour'");
        assertThat(bounds).isEmpty();
    }

    private static List<String> problems(String sections) {
        String document = "{\"inventorySystemConfigurations\": {}" + sections + "}";
        return ConfigurationValidator.validate(ConfigurationDocuments.parse(
                Json.parse(document.getBytes(StandardCharsets.UTF_8))));
    }
}
