package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CSRF token of the right length whose first characters were replaced ("forged" + the rest of
 * a real token) mostly unmasks to bytes that are not UTF-8; Spring Security's handler threw for
 * those, which answered 500 and logged a stack trace. Every such post must be a plain 403. Each
 * case is tried several times with fresh tokens, because a forged token decodes by chance about
 * one time in five.
 */
@ExtendWith(OutputCaptureExtension.class)
class ForgedCsrfTokenIntegrationTest extends HttpTestSupport {
    private static final int ATTEMPTS = 8;
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private static String forged(ConsoleHttp browser) {
        ConsoleHttp.Page login = browser.get("/console/login");
        Matcher token = FORM_TOKEN.matcher(login.body());
        assertThat(token.find()).as(login.body()).isTrue();
        assertThat(token.group(1)).hasSize(96);
        return "forged" + token.group(1).substring(6);
    }

    @Test
    void signIn_withForgedToken_isA403NeverA500(CapturedOutput output) {
        ConsoleHttp browser = new ConsoleHttp(port);
        for (int i = 0; i < ATTEMPTS; i++) {
            ConsoleHttp.Page answer = browser.post(
                    "/console/login",
                    Map.of(
                            "clientId", IvsClient.ADMIN_ID,
                            "secret", IvsClient.ADMIN_SECRET,
                            "_csrf", forged(browser)),
                    false);
            assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        }
        assertThat(browser.get("/console").status()).isEqualTo(302);
        assertThat(output.getAll()).doesNotContain("Decoding failed");
    }

    @Test
    void signedInPosts_withForgedToken_areA403AndChangeNothing(CapturedOutput output) {
        ConsoleHttp admin = new ConsoleHttp(port);
        assertThat(admin.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
        String reverse = "/console/env/" + env + "/reservations/reverse";
        for (int i = 0; i < ATTEMPTS; i++) {
            ConsoleHttp.Page logout =
                    admin.post("/console/logout", Map.of("_csrf", forged(admin)), false);
            assertThat(logout.status()).as(logout.body()).isEqualTo(403);
            ConsoleHttp.Page reversed = admin.post(
                    reverse, Map.of("reservationId", "r1", "_csrf", forged(admin)), false);
            assertThat(reversed.status()).as(reversed.body()).isEqualTo(403);
        }
        assertThat(admin.get("/console").status()).isEqualTo(200);
        assertThat(output.getAll()).doesNotContain("Decoding failed");
    }
}
