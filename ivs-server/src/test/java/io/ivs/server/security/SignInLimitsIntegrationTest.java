package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sign-in limits over real HTTP: wrong secrets at every token path form and at the console, and
 * forged assertions at {@code /token}, are refused with 429 and {@code Retry-After} once a limit
 * is used up, while other clients still sign in. The limits here are small (their own Spring
 * context and data directory), and their clock is moved by hand, so that no limit refills while
 * a slow machine runs a test. Each test sends from its own loopback address (127.0.0.x), so that
 * the per-address limits of one test never touch another's.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ivs.security.sign-in-limits.client-failures=" + SignInLimitsIntegrationTest.CLIENT,
            "ivs.security.sign-in-limits.client-failures-period=PT1M",
            "ivs.security.sign-in-limits.address-failures=" + SignInLimitsIntegrationTest.ADDRESS,
            "ivs.security.sign-in-limits.address-failures-period=PT1M",
            "ivs.security.sign-in-limits.address-attempts=200",
            "ivs.security.sign-in-limits.address-attempts-period=PT1M"
        })
@Import(SignInLimitsIntegrationTest.ManualTicker.class)
class SignInLimitsIntegrationTest {
    static final int CLIENT = 3;
    static final int ADDRESS = 6;
    /** One client-id failure comes back every 20 s of the limits' clock (3 per minute). */
    private static final Duration CLIENT_REFILL = Duration.ofSeconds(20);

    private static final Path DATA_DIR = tempDir();
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(10);
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("IVS_CONSOLE_SESSION=([^;]*)");

    @LocalServerPort
    int port;

    @Autowired
    ManualTicker ticker;

    private IvsClient admin;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // A context of its own, so a data directory of its own: the other HTTP tests' embedded
        // PostgreSQL keeps a lock on theirs.
        registry.add("ivs.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void administrator() {
        admin = new IvsClient(port);
    }

    @Test
    void wrongSecrets_thenRefused429WithRetryAfter_andTheRightSecretWorksAfterTheWait() {
        Credentials pos = createClient();
        Caller caller = newCaller();

        for (int i = 0; i < CLIENT; i++) {
            assertThat(caller.clientCredentials("/oauth2/token", pos.id(), "nope")
                            .status())
                    .isEqualTo(401);
        }
        Answer refused = caller.clientCredentials("/oauth2/token", pos.id(), "nope");
        Answer rightButRefused = caller.clientCredentials("/oauth2/token", pos.id(), pos.secret());

        assertTooManyProblem(refused, "client id");
        // Refused before the secret is checked: even the right one is not looked at.
        assertTooManyProblem(rightButRefused, "client id");
        assertThat(refused.retryAfter()).isEqualTo(CLIENT_REFILL);
        ticker.advance(refused.retryAfter());
        assertThat(caller.clientCredentials("/oauth2/token", pos.id(), pos.secret())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void everyPathForm_countsRefusedSecrets_andRefusesOnceTheLimitIsUsed() {
        Credentials pos = createClient();
        for (String path : List.of(
                "/oauth2/token",
                "/oauth2/token/",
                "/oauth2/v2.0/token",
                "/common/oauth2/token",
                "/some-tenant/oauth2/v2.0/token/")) {
            Caller caller = newCaller();
            String unknown = "ghost-" + UUID.randomUUID();
            for (int i = 0; i < CLIENT; i++) {
                assertThat(caller.clientCredentials(path, unknown, "nope").status())
                        .as(path)
                        .isEqualTo(401);
            }
            assertTooManyProblem(caller.clientCredentials(path, unknown, "nope"), "client id");
            // Another client id from the same address is not affected by this id's limit.
            assertThat(caller.clientCredentials(path, pos.id(), pos.secret()).status())
                    .as(path)
                    .isEqualTo(200);
        }
    }

    @Test
    void spellingsOfThePaths_andHttpBasic_areRefusedOnceTheClientIdIsLimited() {
        Caller caller = newCaller();
        String unknown = "ghost-" + UUID.randomUUID();
        for (int i = 0; i < CLIENT; i++) {
            assertThat(caller.basic("/oauth2/token", unknown, "nope").status()).isEqualTo(401);
        }
        for (String path : List.of(
                "/oauth2/token",
                "/OAuth2/Token",
                "/oauth2/token/",
                "/%6Fauth2/token",
                "/oauth2/V2.0/TOKEN/",
                "/Tenant/OAUTH2/v2.0/token")) {
            assertTooManyProblem(caller.clientCredentials(path, unknown, "right?"), "client id");
            assertTooManyProblem(caller.basic(path, unknown, "right?"), "client id");
        }
    }

    @Test
    void cyclingClientIds_fromOneAddress_isRefusedByTheAddressLimit_otherAddressesSignIn() {
        Credentials pos = createClient();
        Caller attacker = newCaller();
        for (int i = 0; i < ADDRESS; i++) {
            Answer answer =
                    attacker.clientCredentials("/oauth2/token", "ghost-" + UUID.randomUUID(), "x");
            assertThat(answer.status()).isEqualTo(401);
        }

        assertTooManyProblem(
                attacker.clientCredentials("/oauth2/token", "ghost-" + UUID.randomUUID(), "x"),
                "address");
        assertTooManyProblem(
                attacker.clientCredentials("/oauth2/token", pos.id(), pos.secret()), "address");
        assertThat(newCaller()
                        .clientCredentials("/oauth2/token", pos.id(), pos.secret())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void duringAFloodOfOneClientId_anotherClient_signsInFromTheSameAndOtherAddresses()
            throws Exception {
        Credentials victim = createClient();
        Credentials good = createClient();
        Caller flooder = newCaller();
        Caller elsewhere = newCaller();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger tooMany = new AtomicInteger();
        List<Integer> goodStatuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> floods = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                floods.add(threads.submit(() -> {
                    while (flooding.get()) {
                        Answer answer =
                                flooder.clientCredentials("/oauth2/token", victim.id(), "guess");
                        if (answer.status() == 429) {
                            tooMany.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tooMany.get() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (int i = 0; i < 3; i++) {
                goodStatuses.add(
                        flooder.clientCredentials("/oauth2/token", good.id(), good.secret())
                                .status());
                goodStatuses.add(elsewhere
                        .clientCredentials("/oauth2/token", good.id(), good.secret())
                        .status());
            }
            flooding.set(false);
            for (Future<?> flood : floods) {
                flood.get();
            }
        }

        assertThat(goodStatuses).containsOnly(200);
        assertThat(tooMany.get()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void parallelWrongSecrets_cannotRacePastTheLimit() throws Exception {
        Credentials pos = createClient();
        Caller caller = newCaller();
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return caller.clientCredentials("/oauth2/token", pos.id(), "guess");
                }));
            }
            start.countDown();
        }
        int checked = 0;
        int refused = 0;
        for (Future<Answer> answer : answers) {
            int status = answer.get().status();
            checked += status == 401 ? 1 : 0;
            refused += status == 429 ? 1 : 0;
        }

        assertThat(checked).isEqualTo(CLIENT);
        assertThat(checked + refused).isEqualTo(threads);
    }

    @Test
    void forgedAssertions_areLimitedPerAddress_atEveryTokenPath() {
        Caller caller = newCaller();
        for (int i = 0; i < ADDRESS; i++) {
            assertThat(caller.exchange("/token", "not.a.jwt").status()).isEqualTo(401);
        }

        for (String path : List.of("/token", "/token/", "/TOKEN", "/securityservice/token")) {
            assertTooManyProblem(caller.exchange(path, "not.a.jwt"), "address");
        }
        assertThat(newCaller().exchange("/token", "not.a.jwt").status()).isEqualTo(401);
    }

    @Test
    void consoleSignIn_wrongSecrets_thenA429Page_andOtherClientsStillSignIn() {
        Credentials pos = createClient();
        Caller caller = newCaller();
        for (int i = 0; i < CLIENT; i++) {
            Answer failed = caller.consoleSignIn(pos.id(), "nope");
            assertThat(failed.status()).isEqualTo(302);
            assertThat(failed.location()).contains("/console/login?error");
        }

        Answer refused = caller.consoleSignIn(pos.id(), pos.secret());

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfter()).isPositive();
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.body())
                .contains("too many refused sign-ins for this client id")
                .doesNotContain("Exception", "at io.", "at org.");
        Answer other = caller.consoleSignIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        assertThat(other.status()).isEqualTo(302);
        assertThat(other.location()).doesNotContain("error");
    }

    // ---- helpers --------------------------------------------------------------------------

    /** The limits' clock, moved only by the tests. */
    @TestComponent
    static final class ManualTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong(System.nanoTime());

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    private record Credentials(String id, String secret) {}

    private Credentials createClient() {
        IvsClient.Response created = admin.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "environments", List.of("*"), "roles", List.of("inventory.read"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Credentials(
                created.json().path("clientId").asString(),
                created.json().path("clientSecret").asString());
    }

    private static void assertTooManyProblem(Answer answer, String limit) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(429);
        assertThat(answer.retryAfter()).isPositive();
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode body = IvsClient.parse(answer.body());
        assertThat(body.path("status").asInt()).isEqualTo(429);
        assertThat(body.path("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(body.path("error_description").asString()).contains(limit, "retry in");
        assertThat(answer.body()).doesNotContain("Exception", "trace");
    }

    /** A new caller with a loopback address of its own. */
    private Caller newCaller() {
        int last = NEXT_ADDRESS.getAndIncrement();
        assertThat(last).as("loopback addresses left").isLessThan(255);
        try {
            return new Caller(InetAddress.getByName("127.0.0." + last), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Answer(
            int status,
            String body,
            Duration retryAfter,
            String contentType,
            String location,
            String setCookie) {}

    /** Raw HTTP from one source address; redirects are not followed. */
    private static final class Caller {
        private final HttpClient http;
        private final String base;

        Caller(InetAddress address, int port) {
            this.http = HttpClient.newBuilder()
                    .localAddress(address)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            this.base = "http://127.0.0.1:" + port;
        }

        Answer clientCredentials(String path, String id, String secret) {
            return post(
                    path,
                    null,
                    form(
                            "grant_type",
                            "client_credentials",
                            "client_id",
                            id,
                            "client_secret",
                            secret));
        }

        Answer basic(String path, String id, String secret) {
            String pair = encode(id) + ":" + encode(secret);
            String header = "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            return post(path, header, form("grant_type", "client_credentials"));
        }

        Answer exchange(String path, String assertion) {
            String body = IvsClient.json(IvsClient.map(
                    "grant_type", "client_credentials",
                    "client_assertion_type", "aad_app",
                    "client_assertion", assertion,
                    "context", "demo"));
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        /** Loads the sign-in page (a session and its CSRF token), then posts the form. */
        Answer consoleSignIn(String id, String secret) {
            Answer page = send(
                    HttpRequest.newBuilder(URI.create(base + "/console/login")).GET());
            assertThat(page.status()).isEqualTo(200);
            Matcher token = FORM_TOKEN.matcher(page.body());
            assertThat(token.find()).as(page.body()).isTrue();
            Matcher session = SESSION.matcher(page.setCookie());
            String cookie = session.find() ? "IVS_CONSOLE_SESSION=" + session.group(1) : "";
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base + "/console/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            form("clientId", id, "secret", secret, "_csrf", token.group(1))));
            if (!cookie.isEmpty()) {
                post.header("Cookie", cookie);
            }
            return send(post);
        }

        private Answer post(String path, String authorization, String form) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return send(request);
        }

        private Answer send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> response = http.send(
                        request.timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Answer(
                        response.statusCode(),
                        response.body(),
                        Duration.ofSeconds(response.headers()
                                .firstValueAsLong("Retry-After")
                                .orElse(0)),
                        response.headers().firstValue("Content-Type").orElse(""),
                        response.headers().firstValue("Location").orElse(""),
                        String.join(";", response.headers().allValues("Set-Cookie")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String form(String... pairs) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < pairs.length; i += 2) {
                out.append(i == 0 ? "" : "&")
                        .append(encode(pairs[i]))
                        .append('=')
                        .append(encode(pairs[i + 1]));
            }
            return out.toString();
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ivs-sign-in-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
