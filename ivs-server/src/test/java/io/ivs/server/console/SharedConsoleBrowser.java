package io.ivs.server.console;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One headless Chromium for all the tests of a class, started by the first test, signed in as
 * the administrator once, and closed after the last test; register it as a static
 * {@code @RegisterExtension} field.
 */
final class SharedConsoleBrowser implements AfterAllCallback {
    private ConsoleBrowser browser;

    /** The browser at {@code path}, started and signed in if it was not yet. */
    ConsoleBrowser at(int port, String path) {
        if (browser == null) {
            browser = ConsoleBrowser.start(port);
        }
        browser.open(path);
        if (browser.path().startsWith("/console/login")) {
            browser.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
            browser.open(path);
        }
        return browser;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
