package io.ivs.server.console;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Headless Chromium for the console's end-to-end tests: Debian's {@code chromium} and
 * {@code chromium-driver} (installed by {@code .ci/run}), a fresh profile per run, and
 * screenshots at desktop (1280×800) and phone (390×844) size under
 * {@code target/console-screenshots}. Without the browser the tests fail on CI
 * ({@code CI=true}) and are skipped with a message elsewhere.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private ConsoleBrowser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Starts the browser, or fails (on CI) or skips (elsewhere) when it is not installed. */
    static ConsoleBrowser start(int port) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "the console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: a missing browser is a failure, not a skip)");
            }
            Assumptions.abort(message);
        }
        try {
            Path profile = Files.createTempDirectory("ivs-console-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,800",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT);
            Files.createDirectories(SCREENSHOTS);
            return new ConsoleBrowser(driver, profile, "http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    WebElement find(String css) {
        return new WebDriverWait(driver, WAIT)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Waits until the element's text contains {@code text}. */
    void waitForText(String css, String text) {
        try {
            new WebDriverWait(driver, WAIT)
                    .until(ExpectedConditions.textToBePresentInElementLocated(
                            By.cssSelector(css), text));
        } catch (org.openqa.selenium.TimeoutException e) {
            // The page's text says why (an error page, a refusal) far better than the timeout.
            throw new AssertionError(
                    "no '" + text + "' in " + css + " of " + path() + "; the page" + " says: "
                            + driver.findElement(By.tagName("body")).getText(),
                    e);
        }
    }

    /** Signs in through the form; the browser keeps the session for later tests. */
    void signIn(String clientId, String secret) {
        open("/console/login");
        type("#clientId", clientId);
        type("#secret", secret);
        find("form button[type=submit]").click();
        new WebDriverWait(driver, WAIT)
                .until(d -> !path().startsWith("/console/login")
                        || d.getPageSource().contains("Sign-in failed"));
    }

    /** The session cookie, for fetching a download outside the browser. */
    String sessionCookie() {
        return "IVS_CONSOLE_SESSION="
                + driver.manage().getCookieNamed("IVS_CONSOLE_SESSION").getValue();
    }

    /** Saves the current page at desktop and at phone size as {@code name-desktop.png}, … */
    void screenshots(String name) {
        try {
            shoot(name + "-desktop", 1280, 800, false);
            shoot(name + "-phone", 390, 844, false);
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private void shoot(String file, int width, int height, boolean mobile) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        shoot(file);
    }

    private void shoot(String file) {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        try {
            Files.copy(
                    shot, SCREENSHOTS.resolve(file + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs axe-core (vendored test resource) on the current page and answers its violations of
     * impact serious or critical, one line each ({@code rule: impact: target…}); every violation
     * found, of any impact, is appended to {@code axe-report.txt} beside the screenshots.
     */
    List<String> seriousAccessibilityViolations(String name) {
        driver.executeScript(axeSource());
        Object raw = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(function (r) { done(r.violations.map(function (v) {"
                + " return v.id + ': ' + v.impact + ': ' + v.nodes.map(function (n) {"
                + " return n.target.join(' '); }).join(', '); })); })"
                + ".catch(function (e) { done(['axe failed: ' + e]); });");
        List<String> all = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(item -> all.add(String.valueOf(item)));
        }
        report(name, all);
        return all.stream()
                .filter(line -> line.contains(": serious: ")
                        || line.contains(": critical: ")
                        || line.startsWith("axe failed"))
                .toList();
    }

    private static synchronized void report(String name, List<String> violations) {
        StringBuilder text = new StringBuilder(name)
                .append(": ")
                .append(violations.size())
                .append(" violation(s)\n");
        violations.forEach(v -> text.append("  ").append(v).append('\n'));
        try {
            Files.writeString(
                    SCREENSHOTS.resolve("axe-report.txt"),
                    text,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String axeSource() {
        try (InputStream in = ConsoleBrowser.class.getResourceAsStream("/console-axe/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A profile left in the temporary folder is harmless.
        }
    }
}
