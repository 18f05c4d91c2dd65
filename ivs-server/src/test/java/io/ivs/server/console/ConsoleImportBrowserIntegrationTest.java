package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Import page in Chromium, as a person uses it: choose a file, press Import, watch the job
 * finish, and download the refused rows from the link the page shows.
 */
class ConsoleImportBrowserIntegrationTest extends HttpTestSupport {
    private static ConsoleBrowser browser;

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void chosenFile_isImported_andTheRefusedRowsCanBeDownloaded() throws Exception {
        browser = ConsoleBrowser.start(port);
        browser.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        Path csv = Files.createTempFile("ivs-console-import-", ".csv");
        Files.writeString(
                csv,
                "organizationId,productId,siteId,locationId,pos.inbound\n"
                        + "usmf,B1,1,11,4\nusmf,B1,1,11,four\nusmf,B2,1,11,1\n");

        browser.open("/console/env/" + env + "/import");
        browser.find("#import-file").sendKeys(csv.toString());
        browser.find("#import-start").click();
        browser.waitForText("#import-status", "done: 3 of 3 rows read, 2 accepted, 1 refused");
        browser.screenshots("import");
        String link = browser.find("#import-rejects").getAttribute("href");

        assertThat(link).contains("/rejects.csv");
        HttpResponse<String> rejects = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(link))
                                .header("Cookie", browser.sessionCookie())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(rejects.body()).contains("usmf,B1,1,11,four,3,pos.inbound: 'four' is not");
        Files.delete(csv);
    }
}
