package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The Adjustments and Log history pages over real HTTP: an adjustment posted through the form
 * shows with its status and in the log history, whose CSV downloads; bad input answers 400.
 */
class ConsoleAdjustmentsAndLogIntegrationTest extends HttpTestSupport {
    private ConsoleHttp console;
    private String base;

    @BeforeEach
    void signIn() {
        console = new ConsoleHttp(port);
        assertThat(console.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
        base = "/console/env/" + env;
    }

    @Test
    void adjustmentPosted_showsWithStatus_andInTheLogHistory() {
        Map<String, String> form = new HashMap<>(Map.of(
                "id", "console-adj-1",
                "organizationId", "usmf",
                "productId", "Bike",
                "siteId", "1",
                "locationId", "11",
                "quantityDataSource", "pos",
                "physicalMeasure", "inbound",
                "quantity", "6",
                "fnoJournalNameId", "IMov",
                "createWithIVSync", "on"));

        ConsoleHttp.Page posted = console.post(base + "/adjustments", form, true);

        assertThat(posted.status()).isEqualTo(302);
        String list = console.get(base + "/adjustments").body();
        assertThat(list).contains("posted and applied to on-hand");
        assertThat(list).contains("console-adj-1").contains("IVPosted").contains("IMov");
        assertThat(console.get(base + "/adjustments?status=Created").body())
                .contains("No adjustment matches.");

        String today =
                LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/M/d"));
        String history = console.get(base + "/log-history?organizationId=usmf&productId=Bike"
                        + "&fromDate=" + today + "&toDate=" + today)
                .body();
        assertThat(history)
                .contains(">1 line<")
                .contains("adjustment:console-adj-1")
                .contains("console/adjustments");
        String jobId = history.replaceAll("(?s).*log-history/csv\\?jobId=([^\"&]+).*", "$1");
        ConsoleHttp.Page csv = console.get(base + "/log-history/csv?jobId=" + jobId);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).startsWith("timestamp,api,").contains("adjustment:console-adj-1");
    }

    @Test
    void badInput_answers400_orAFailureNotice() {
        Map<String, String> form = new HashMap<>(Map.of(
                "organizationId", "usmf",
                "productId", "Bike",
                "siteId", "1",
                "locationId", "11",
                "quantityDataSource", "nosuch",
                "physicalMeasure", "inbound",
                "quantity", "6"));
        assertThat(console.post(base + "/adjustments", form, true).status()).isEqualTo(302);
        assertThat(console.get(base + "/adjustments").body())
                .contains("Not posted: quantityDataSource:");

        assertThat(console.get(base + "/adjustments?fromDate=7.12.2026").status())
                .isEqualTo(400);
        ConsoleHttp.Page badDate =
                console.get(base + "/log-history?organizationId=usmf&fromDate=2026-12-07");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body()).contains("UtcFromDate");
    }
}
