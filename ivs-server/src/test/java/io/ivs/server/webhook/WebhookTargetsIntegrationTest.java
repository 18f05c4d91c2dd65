package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Internal webhook targets over real HTTP and real PostgreSQL: refused when a subscription is
 * created (400 naming {@code url}, nothing stored), refused again at delivery when DNS answers
 * an internal address by then (nothing sent, dead-lettered at once), and a receiver's answer body
 * never shown. The test settings allow 127.0.0.1, where the test receivers listen; every other
 * internal target is refused as in production.
 */
class WebhookTargetsIntegrationTest extends HttpTestSupport {
    static final String SECRET = WebhookIntegrationTest.SECRET;
    /** A name that only the scripted resolver of the rebinding test knows. */
    static final String HOST = "rebind.ivs.test";

    static final String BODY_SECRET = "INTERNAL-SECRET-RESPONSE-BODY aws_secret_access_key=AKIA";

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    WebhookStore store;

    @Autowired
    ChangeFeed feed;

    @Autowired
    ChangeSignal signal;

    @Autowired
    WebhookSettings settings;

    /** See {@link WebhookIntegrationTest#compileVerifier()}. */
    @BeforeAll
    static void compileVerifier() {
        assertThat(ReadmeVerifier.verify(SECRET, "wh_1-1", "1", "v1,AA==", new byte[0], 1, 0))
                .isFalse();
    }

    @AfterEach
    void deleteSubscriptions() {
        for (JsonNode subscription : client.get(webhooks()).json()) {
            client.delete(webhooks() + "/" + subscription.path("id").asString(), null);
        }
    }

    private String webhooks() {
        return "/admin/environments/" + env + "/webhooks";
    }

    private IvsClient.Response create(String url) {
        return client.post(webhooks(), IvsClient.json(IvsClient.map("url", url, "secret", SECRET)));
    }

    private String subscribe(String url) {
        IvsClient.Response created = create(url);
        assertThat(created.status()).as(url + ": " + created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    @Test
    void create_internalTarget_answers400NamingUrl_andStoresNothing() {
        List<String> refused = new ArrayList<>(List.of(
                "http://169.254.169.254/latest/meta-data/",
                "https://169.254.169.254/",
                "http://[fd00:ec2::254]/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://10.0.0.1/",
                "http://172.16.5.4/",
                "http://192.168.1.1/",
                "http://100.64.0.1/",
                "http://198.18.0.1/",
                "http://[::ffff:169.254.169.254]/",
                "http://[::ffff:a9fe:a9fe]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://[2002:a9fe:a9fe::1]/",
                "http://127.0.0.2:" + port + "/",
                "http://localhost:" + port + "/admin/clients",
                "http://LOCALHOST./",
                "http://[::1]:" + port + "/",
                "http://[::]/",
                "http://0.0.0.0:" + port + "/",
                "http://0/",
                "http://2130706433/",
                "http://0x7f000001/",
                "http://0177.0.0.1/",
                "http://127.1/",
                "http://224.0.0.1/",
                "http://255.255.255.255/",
                "http://[ff02::1]/",
                "http://[fe80::1]/",
                "http://[fe80::1%25eth0]/",
                "http://[fc00::1]/",
                "http://user:pass@hooks.example.com/",
                "http://user@127.0.0.1:9/"));
        ownAddress().ifPresent(own -> refused.add("http://" + own + ":" + port + "/"));

        for (String url : refused) {
            IvsClient.Response answer = create(url);
            assertThat(answer.status()).as(url + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.json().path("detail").asString()).as(url).startsWith("url: ");
        }
        assertThat(client.get(webhooks()).json()).isEmpty();
    }

    /** 127.0.0.1 is on the test allow-list; public and not yet resolvable hosts need none. */
    @Test
    void create_allowedOrPublicTarget_isAccepted() {
        subscribe("http://127.0.0.1:9/hook");
        subscribe("http://[::ffff:127.0.0.1]:9/hook");
        subscribe("https://93.184.215.14/hook");
        subscribe("https://hooks.ivs.test/not-in-dns-yet");

        assertThat(client.get(webhooks()).json()).hasSize(4);
    }

    /**
     * A receiver that fails with a body (what an internal service might say) leaves only the
     * status in {@code lastError} and in the dead letter; a long body is not read to its end.
     */
    @Test
    void lastError_ofAFailingReceiver_holdsTheStatusButNoneOfTheBody() {
        try (Receiver receiver = new Receiver(SECRET)) {
            receiver.respond(d -> 500);
            receiver.answer(BODY_SECRET.getBytes(StandardCharsets.UTF_8));
            String id = subscribe(receiver.url("/hook"));

            onhand("e1", 3);
            awaitCursor(id, settle());

            JsonNode view = subscription(id);
            List<JsonNode> dead = deadLetters(id);
            assertThat(dead).hasSize(1);
            String deliveryId = dead.getFirst().path("deliveryId").asString();
            assertThat(view.path("lastError").asString())
                    .isEqualTo("delivery " + deliveryId + ": HTTP 500");
            assertThat(dead.getFirst().path("lastError").asString()).isEqualTo("HTTP 500");
            assertThat(dead.getFirst().path("lastStatus").asInt()).isEqualTo(500);
            assertThat(view.toString()).doesNotContain("SECRET");
            assertThat(client.get(webhooks() + "/" + id + "/dead-letters").body())
                    .doesNotContain("SECRET");

            receiver.respond(d -> 200);
            receiver.answer("x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
            onhand("e2", 4);
            onhand("e3", 5);
            awaitCursor(id, settle());
            assertThat(receiver.delivered("/hook")).hasSize(2);
            assertThat(deadLetters(id)).hasSize(1);
        }
    }

    /**
     * An allowed target that is no HTTP server (a database, a cache) answers with its own bytes:
     * none of them reach {@code lastError}, whatever the HTTP client says about them.
     */
    @Test
    void lastError_ofANonHttpService_holdsNoneOfItsBytes() throws IOException {
        try (ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> banner(service));
            String id = subscribe("http://127.0.0.1:" + service.getLocalPort() + "/hook");

            onhand("e1", 1);
            awaitCursor(id, settle());

            List<JsonNode> dead = deadLetters(id);
            assertThat(dead).hasSize(1);
            assertThat(dead.getFirst().path("lastError").asString())
                    .isNotBlank()
                    .doesNotContain("SECRET");
            assertThat(subscription(id).path("lastError").asString()).doesNotContain("SECRET");
        }
    }

    /** Answers every connection with a line that is not HTTP, then closes it. */
    private static void banner(ServerSocket service) {
        while (!service.isClosed()) {
            try (Socket connection = service.accept()) {
                connection
                        .getOutputStream()
                        .write((BODY_SECRET + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // Closed at the end of the test.
            }
        }
    }

    /** A URL with credentials, stored before such URLs were refused, is refused at delivery. */
    @Test
    void delivery_urlStoredWithCredentials_sendsNothing() {
        try (Receiver receiver = new Receiver(SECRET)) {
            String id = "wh_stored" + System.nanoTime();
            store.create(new Subscription(
                    id,
                    env,
                    "http://user:pass@127.0.0.1:" + receiver.port() + "/hook",
                    SECRET,
                    "",
                    List.of(),
                    List.of(),
                    List.of(),
                    Subscription.ACTIVE,
                    settle(),
                    Instant.now(),
                    null,
                    null,
                    null));

            onhand("e1", 1);
            awaitCursor(id, settle());

            assertThat(receiver.all()).isEmpty();
            assertThat(deadLetters(id).getFirst().path("lastError").asString())
                    .isEqualTo("target refused: the URL holds a user name or password");
        }
    }

    /**
     * DNS rebinding: the receiver's name resolves to the allowed 127.0.0.1 and is delivered to;
     * later it resolves to 127.0.0.2 (loopback, not allowed), to a mix of both, and finally to
     * 127.0.0.1 for the check before the attempt but 127.0.0.2 for the connection. The receiver
     * listens on every address, so any request to 127.0.0.2 would reach it: none does, and
     * each refused change is a dead letter after one attempt.
     */
    @Test
    void delivery_nameThatResolvesToARefusedAddressLater_isNotSentTo_andDeadLetteredAtOnce() {
        Queue<InetAddress[]> script = new ConcurrentLinkedQueue<>();
        AtomicReference<InetAddress[]> dns = new AtomicReference<>(addresses("127.0.0.1"));
        WebhookTargets targets = new WebhookTargets(
                settings.allowedInternalHosts(),
                host -> {
                    if (!host.equals(HOST)) {
                        return InetAddress.getAllByName(host);
                    }
                    InetAddress[] scripted = script.poll();
                    return scripted != null ? scripted : dns.get();
                },
                new WebhookTargets.OwnAddresses());
        dispatcher.stop();
        WebhookDispatcher other = null;
        try (Receiver receiver = new Receiver(SECRET, new InetSocketAddress(0));
                WebhookSender sender = new WebhookSender(
                        settings, targets, Clock.systemUTC(), new SimpleMeterRegistry())) {
            receiver.closeConnections(true);
            // The application's DNS does not know the name: accepted, checked at each delivery.
            String id = subscribe("http://" + HOST + ":" + receiver.port() + "/hook");
            other = new WebhookDispatcher(store, feed, signal, sender, settings);
            other.start();

            onhand("e1", 1);
            awaitCursor(id, settle());
            assertThat(receiver.delivered("/hook")).hasSize(1);

            dns.set(addresses("127.0.0.2"));
            onhand("e2", 2);
            awaitCursor(id, settle());

            dns.set(addresses("127.0.0.1", "127.0.0.2"));
            onhand("e3", 3);
            awaitCursor(id, settle());

            script.add(addresses("127.0.0.1"));
            script.add(addresses("127.0.0.2"));
            dns.set(addresses("127.0.0.2"));
            onhand("e4", 4);
            awaitCursor(id, settle());

            assertThat(script).as("the connection's own lookup was made").isEmpty();
            assertThat(receiver.all()).as(Receiver.summary(receiver.all())).hasSize(1);
            List<JsonNode> dead = deadLetters(id);
            assertThat(dead).hasSize(3);
            for (JsonNode letter : dead) {
                assertThat(letter.path("attempts").asInt()).isEqualTo(1);
                assertThat(letter.path("lastStatus").isNull()).isTrue();
                assertThat(letter.path("lastError").asString())
                        .isEqualTo("target refused: '" + HOST
                                + "' resolves to an internal address (loopback)");
            }
            assertThat(subscription(id).path("lastError").asString()).contains("target refused");
        } finally {
            if (other != null) {
                other.stop();
            }
            dispatcher.start();
        }
    }

    private static InetAddress[] addresses(String... literals) {
        return java.util.Arrays.stream(literals)
                .map(InetAddress::ofLiteral)
                .toArray(InetAddress[]::new);
    }

    /** An address of one of this machine's interfaces other than loopback, if there is one. */
    private static Optional<String> ownAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    // Without the interface name that the JDK adds to IPv6 addresses.
                    .map(a -> InetAddress.ofLiteral(a.getHostAddress().replaceAll("%.*", "")))
                    .map(a -> a.getAddress().length == 4
                            ? a.getHostAddress()
                            : "[" + a.getHostAddress() + "]")
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private void onhand(String id, int quantity) {
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(IvsClient.map(
                        "id",
                        id,
                        "organizationId",
                        "usmf",
                        "productId",
                        "P1",
                        "dimensions",
                        IvsClient.map("siteId", "1", "locationId", "11"),
                        "quantities",
                        IvsClient.map("pos", IvsClient.map("inbound", quantity)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Sequences what was committed; answers the environment's last feed position. */
    private long settle() {
        sequencer.sequenceNow();
        JsonNode changes = client.get(api("/changes?limit=1000")).json().path("changes");
        return changes.isEmpty()
                ? 0
                : changes.get(changes.size() - 1).path("position").asLong();
    }

    private JsonNode subscription(String id) {
        IvsClient.Response response = client.get(webhooks() + "/" + id);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private List<JsonNode> deadLetters(String id) {
        List<JsonNode> letters = new ArrayList<>();
        client.get(webhooks() + "/" + id + "/dead-letters").json().forEach(letters::add);
        return letters;
    }

    /** Waits until the subscription has handled every change up to {@code position}. */
    private void awaitCursor(String id, long position) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (subscription(id).path("cursor").asLong() < position) {
            assertThat(System.nanoTime())
                    .as("cursor of " + id + " reaches " + position)
                    .isLessThan(deadline);
            Receiver.sleep(Duration.ofMillis(20));
        }
    }
}
