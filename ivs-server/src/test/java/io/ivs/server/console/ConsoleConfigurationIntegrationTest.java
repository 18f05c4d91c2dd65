package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/**
 * Changing the configuration through the console's forms over real HTTP: the settings form,
 * the JSON editor, validation by the server's own rules before "Update configuration", and a
 * draft that someone else's newer version has overtaken.
 */
class ConsoleConfigurationIntegrationTest extends HttpTestSupport {
    private ConsoleHttp console;
    private String base;

    @BeforeEach
    void signIn() {
        console = new ConsoleHttp(port);
        assertThat(console.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
        base = "/console/env/" + env + "/configuration";
    }

    @Test
    void settingsForm_reviewedAndApplied_becomesTheActiveVersion() {
        Map<String, String> form = settings();
        form.put("reservationsEnabled", "true");
        form.put("schedulePeriodDays", "14");

        ConsoleHttp.Page saved = console.post(base + "/settings", form, true);
        assertThat(saved.location()).endsWith(base);
        assertThat(console.get(base).body()).contains("Settings changed in the draft");
        String review = console.get(base + "/review").body();
        assertThat(review).contains("The draft is a valid configuration");
        assertThat(review).contains("&quot;schedulePeriodInDays&quot; : 14");
        assertThat(configuration()
                        .get("scheduleConfiguration")
                        .get("schedulePeriodInDays")
                        .asInt())
                .isEqualTo(30);

        ConsoleHttp.Page applied = console.post(base + "/apply", Map.of(), true);

        assertThat(applied.location()).endsWith(base);
        assertThat(console.get(base).body()).contains("Configuration version 2 is active");
        assertThat(configuration()
                        .get("scheduleConfiguration")
                        .get("schedulePeriodInDays")
                        .asInt())
                .isEqualTo(14);
        assertThat(configuration()
                        .get("reservConfiguration")
                        .get("isReservEnabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void invalidDraft_isReportedByTheServersValidation_andCannotBeApplied() {
        Map<String, String> form = settings();
        form.put("atpMeasures", "iv.nosuchmeasure");
        assertThat(console.post(base + "/settings", form, true).status()).isEqualTo(302);

        String review = console.get(base + "/review").body();
        assertThat(review).contains("The draft cannot become active").contains("nosuchmeasure");
        assertThat(review).containsPattern("id=\"update-configuration\"\\s+disabled");

        ConsoleHttp.Page applied = console.post(base + "/apply", Map.of(), true);
        assertThat(applied.location()).endsWith(base + "/review");
        assertThat(console.get(base + "/review").body()).contains("Not applied");
        assertThat(latestVersion()).isEqualTo(1);
    }

    @Test
    void jsonEditor_notJson_answers400_andKeepsTheText() {
        ConsoleHttp.Page page =
                console.post(base + "/json", Map.of("document", "{\"broken\": "), true);

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body())
                .contains("body: is not valid JSON")
                .contains("{&quot;broken&quot;: ");
        assertThat(console.get(base).body()).doesNotContain("Draft with changes");
    }

    @Test
    void draftOvertakenByANewerVersion_isNotApplied_untilReviewedAgain() {
        assertThat(console.post(base + "/datasources", Map.of("dataSourceName", "ecom"), true)
                        .status())
                .isEqualTo(302);
        configure(document -> document.put("isWHSEnabled", true));
        assertThat(latestVersion()).isEqualTo(2);

        ConsoleHttp.Page refused = console.post(base + "/apply", Map.of(), true);

        assertThat(refused.location()).endsWith(base + "/review");
        String review = console.get(base + "/review").body();
        assertThat(review).contains("Version 2 became active after this draft was started");
        assertThat(latestVersion()).isEqualTo(2);
        // Reviewed again: the difference is now against version 2, and it shows that applying
        // the draft would undo that version's change.
        assertThat(review).contains("&quot;isWHSEnabled&quot; : true");

        assertThat(console.post(base + "/apply", Map.of(), true).location()).endsWith(base);
        assertThat(latestVersion()).isEqualTo(3);
        assertThat(configuration().get("inventorySystemConfigurations").has("ecom"))
                .isTrue();
    }

    /** The settings form as the page fills it for the default configuration. */
    private static Map<String, String> settings() {
        Map<String, String> form = new HashMap<>();
        form.put("partitionRule", "location");
        form.put("indexSets", "colorid, sizeid, styleid");
        form.put("reservationVersion", "0");
        form.put("reservationKeys", "siteid, locationid, colorid, sizeid");
        form.put("schedulePeriodDays", "30");
        form.put("atpMeasures", "");
        form.put("atpIndexSets", "colorid, sizeid");
        form.put("allocationGroups", "channel, customerGroup, region, orderType");
        return form;
    }

    private int latestVersion() {
        IvsClient.Response response =
                client.get("/admin/environments/" + env + "/configuration/versions");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get(0).path("version").asInt();
    }
}
