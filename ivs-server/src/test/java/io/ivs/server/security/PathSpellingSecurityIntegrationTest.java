package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every operation of the OpenAPI document, for every kind of caller, in every spelling of its
 * path: a spelling is never allowed where the plain path is refused (the encoded-letter bypass
 * of the 2026-12-06 security review: {@code /%61dmin/clients} reached the administrator API
 * with a read-only token because access rules read the raw path and routing the decoded one).
 *
 * <p>Requests go over a raw socket, so that no client library normalises the spellings away.
 * Equivalent spellings (a letter percent-encoded, upper or title case, a trailing slash) must
 * get the plain path's refusal exactly, and, where the plain path is allowed, must not be
 * refused; ambiguous spellings ({@code ;x=y}, {@code //}, {@code /./}) are refused with 400 for
 * everyone, before any rule or handler sees them.
 */
class PathSpellingSecurityIntegrationTest extends SecurityTestSupport {
    /** Callers sending at once: the matrix has thousands of requests. */
    private static final int PARALLELISM = 6;

    /** A caller: a name for messages and the Authorization header it sends (null: none). */
    private record Role(String name, String authorization, boolean singleEnvironment) {}

    /** One request to send and what it is a spelling of. */
    private record Case(Role role, String method, String plainPath, String spelling, String kind) {}

    private record Answer(int status, String body) {}

    @Test
    void everySpelling_ofEveryOperation_isNeverAllowedWhereThePlainPathIsRefused() {
        String other = "other-" + env;
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        List<Role> roles = roles();
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(40);

        List<Callable<List<String>>> units = new ArrayList<>();
        AtomicInteger cases = new AtomicInteger();
        for (Operation operation : operations) {
            for (Role role : roles) {
                List<String> environments = role.singleEnvironment() && operation.hasEnvironment()
                        ? List.of(env, other)
                        : List.of(env);
                for (String environment : environments) {
                    units.add(() -> sendSpellings(role, operation, environment, cases));
                }
            }
        }
        List<String> bypasses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM)) {
            for (Future<List<String>> unit : pool.invokeAll(units)) {
                bypasses.addAll(unit.get());
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        System.out.printf(
                "path spellings: %d operations, %d roles, %d requests, %d not as expected%n",
                operations.size(), roles.size(), cases.get(), bypasses.size());
        assertThat(bypasses).as("%d requests", cases.get()).isEmpty();
        assertThat(cases.get()).isGreaterThan(5_000);
    }

    /** The plain path and each spelling of one operation for one caller; what went wrong. */
    private List<String> sendSpellings(
            Role role, Operation operation, String environment, AtomicInteger cases) {
        List<String> problems = new ArrayList<>();
        String plain = operation.fill(environment);
        Answer plainAnswer = send(role, operation.method(), plain);
        cases.incrementAndGet();
        for (Map.Entry<String, String> spelling : spellings(plain).entrySet()) {
            Case sent = new Case(
                    role, operation.method(), plain, spelling.getKey(), spelling.getValue());
            Answer answer = send(role, operation.method(), spelling.getKey());
            cases.incrementAndGet();
            String problem = check(sent, plainAnswer, answer);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** Console pages answer a sign-in redirect in every spelling, never a page, to any token. */
    @Test
    void consolePages_inEverySpelling_needASignIn() {
        Role admin = roles().getLast();
        for (String page : List.of(
                "/console", "/console/env/" + env + "/onhand", "/console/env/" + env + "/atp")) {
            Answer plain = send(admin, "GET", page);
            assertThat(plain.status()).isEqualTo(302);
            for (Map.Entry<String, String> spelling : spellings(page).entrySet()) {
                Answer answer = send(admin, "GET", spelling.getKey());
                if (spelling.getValue().equals("ambiguous")) {
                    assertThat(answer.status()).as(spelling.getKey()).isEqualTo(400);
                } else {
                    assertThat(answer.status()).as(spelling.getKey()).isEqualTo(302);
                    assertThat(answer.body()).as(spelling.getKey()).doesNotContain("<table");
                }
            }
        }
    }

    @Test
    void errorPath_cannotBeAskedFor() {
        for (Role role : roles()) {
            for (String method : List.of("GET", "POST")) {
                assertThat(send(role, method, "/error").status()).isEqualTo(404);
                assertThat(send(role, method, "/%65rror").status()).isEqualTo(404);
                assertThat(send(role, method, "/ERROR/").status()).isEqualTo(404);
            }
        }
    }

    /** The problem with one answer, or null when it is as expected. */
    private static String check(Case sent, Answer plain, Answer answer) {
        String where = sent.role().name() + " " + sent.method() + " " + sent.spelling() + " (plain "
                + sent.plainPath() + " -> " + plain.status() + ")";
        if (answer.status() == 429) {
            return null; // a sign-in limit: a refusal, never a way in
        }
        if (sent.kind().equals("ambiguous")) {
            boolean refusedAsPath = answer.status() == 400 && answer.body().contains("path:");
            return refusedAsPath ? null : where + " -> " + answer.status() + ", not a 400 path";
        }
        if (refused(plain.status()) && answer.status() != plain.status()) {
            return where + " -> " + answer.status() + " " + abbreviate(answer.body());
        }
        if (!refused(plain.status()) && refused(answer.status())) {
            return where + " -> refused " + answer.status() + " " + abbreviate(answer.body());
        }
        return null;
    }

    private static boolean refused(int status) {
        return status == 401 || status == 403;
    }

    private static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }

    private List<Role> roles() {
        Credentials read = createClient(List.of(env), "inventory.read");
        Credentials write = createClient(List.of(env), "inventory.write");
        Credentials admin = createClient(List.of(env), "config.admin");
        return List.of(
                new Role("none", null, false),
                new Role("inventory.read", "Bearer " + token(read, env), true),
                new Role("inventory.write", "Bearer " + token(write, env), true),
                new Role("config.admin", "Bearer " + token(admin, env), true),
                new Role(
                        "administrator of *",
                        "Bearer "
                                + client.accessToken(
                                        IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET, env),
                        false));
    }

    /** An operation of the OpenAPI document, with its path template. */
    private record Operation(String method, String template) {
        boolean hasEnvironment() {
            return template.contains("{environmentId}") || template.contains("{env}");
        }

        String fill(String environment) {
            StringBuilder path = new StringBuilder();
            for (String segment : template.substring(1).split("/")) {
                path.append('/').append(value(segment, environment));
            }
            return path.toString();
        }

        private static String value(String segment, String environment) {
            if (!segment.startsWith("{")) {
                return segment;
            }
            return switch (segment) {
                case "{environmentId}", "{env}" -> environment;
                case "{clientId}" -> "no-such-client";
                case "{id}" -> "wh_nosuch";
                case "{tenantId}" -> "contoso";
                case "{version}" -> "1";
                default -> "x";
            };
        }
    }

    /**
     * Every operation in /v3/api-docs, the trailing-slash twins counted once, at its path and at
     * the other spellings the document lists for it ({@code x-ivs-aliases}).
     */
    private List<Operation> operations() {
        JsonNode paths = client.get("/v3/api-docs").json().path("paths");
        Set<String> seen = new TreeSet<>();
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            List<String> templates = new ArrayList<>(List.of(path.getKey()));
            path.getValue().path("x-ivs-aliases").forEach(a -> templates.add(a.asString()));
            for (String spelled : templates) {
                String template = spelled.length() > 1 && spelled.endsWith("/")
                        ? spelled.substring(0, spelled.length() - 1)
                        : spelled;
                for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                    if (method.getKey().startsWith("x-")) {
                        continue;
                    }
                    String verb = method.getKey().toUpperCase(Locale.ROOT);
                    if (seen.add(verb + " " + template)) {
                        operations.add(new Operation(verb, template));
                    }
                }
            }
        }
        operations.add(new Operation("GET", "/actuator"));
        operations.add(new Operation("GET", "/actuator/metrics"));
        operations.add(new Operation("GET", "/actuator/prometheus"));
        operations.add(new Operation("GET", "/actuator/health"));
        return operations;
    }

    /**
     * The spellings of a path, each with its kind: {@code equivalent} (must be treated exactly
     * as the plain path) or {@code ambiguous} (must be refused).
     */
    static Map<String, String> spellings(String plain) {
        Map<String, String> spellings = new LinkedHashMap<>();
        String[] segments = plain.substring(1).split("/");
        Set<Integer> fixed = new LinkedHashSet<>();
        for (int s = 0; s < segments.length; s++) {
            if (isFixed(segments, s)) {
                fixed.add(s);
            }
        }
        for (int s : fixed) {
            String segment = segments[s];
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (Character.isLetter(c)) {
                    String encoded = segment.substring(0, i)
                            + String.format("%%%02x", (int) c)
                            + segment.substring(i + 1);
                    spellings.put(join(segments, s, encoded), "equivalent");
                }
            }
        }
        spellings.put(transform(segments, fixed, s -> s.toUpperCase(Locale.ROOT)), "equivalent");
        spellings.put(
                transform(
                        segments,
                        fixed,
                        s -> s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1)),
                "equivalent");
        spellings.put(plain + "/", "equivalent");
        String first = "/" + segments[0];
        String after = plain.substring(first.length());
        spellings.put(first + ";x=y" + after, "ambiguous");
        spellings.put(plain + ";x=y", "ambiguous");
        spellings.put("/" + plain, "ambiguous");
        if (!after.isEmpty()) {
            spellings.put(first + "/" + after, "ambiguous");
        }
        spellings.put(first + "/." + after, "ambiguous");
        spellings.put(first + "/%2e" + after, "ambiguous");
        spellings.put(plain + "//", "ambiguous");
        spellings.remove(plain);
        return spellings;
    }

    /**
     * Whether a segment of a filled path is a fixed word of the route rather than a value: the
     * values the test fills in are recognisable.
     */
    private static boolean isFixed(String[] segments, int s) {
        String segment = segments[s];
        return !(segment.startsWith("test-")
                || segment.startsWith("other-test-")
                || segment.equals("no-such-client")
                || segment.equals("wh_nosuch")
                || segment.equals("contoso")
                || segment.equals("x")
                || segment.equals("1"));
    }

    private static String join(String[] segments, int replaced, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int s = 0; s < segments.length; s++) {
            path.append('/').append(s == replaced ? replacement : segments[s]);
        }
        return path.toString();
    }

    private static String transform(
            String[] segments, Set<Integer> fixed, java.util.function.UnaryOperator<String> how) {
        StringBuilder path = new StringBuilder();
        for (int s = 0; s < segments.length; s++) {
            path.append('/').append(fixed.contains(s) ? how.apply(segments[s]) : segments[s]);
        }
        return path.toString();
    }

    /** One request over a new socket, the path sent exactly as given. */
    private Answer send(Role role, String method, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            boolean body = method.equals("POST") || method.equals("PUT") || method.equals("DELETE");
            StringBuilder request = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:")
                    .append(port)
                    .append("\r\n")
                    .append("Connection: close\r\n")
                    .append("Api-Version: 1.0\r\n");
            if (role.authorization() != null) {
                request.append("Authorization: ").append(role.authorization()).append("\r\n");
            }
            if (body) {
                request.append("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            } else {
                request.append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    /**
     * The status and body of an answer. An event stream (the change feed's) is not read to its
     * end, which never comes: its head says all the test needs.
     */
    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            bytes.write(buffer, 0, n);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0
                    && (headEnd = text.indexOf("\r\n\r\n")) >= 0
                    && text.substring(0, headEnd)
                            .toLowerCase(Locale.ROOT)
                            .contains("content-type: text/event-stream")) {
                break;
            }
        }
        String response = bytes.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(response.substring(9, 12));
        int bodyStart = response.indexOf("\r\n\r\n");
        return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    }
}
