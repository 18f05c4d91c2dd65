package io.ivs.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Base of the HTTP tests: one IVS per test JVM on a random port, backed by real PostgreSQL (the
 * embedded server in a temporary data directory, or the database of {@code IVS_DATABASE_URL}).
 * Every test works in its own new environment, so tests never see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class HttpTestSupport {
    private static final Path DATA_DIR = tempDir();

    @LocalServerPort
    protected int port;

    protected IvsClient client;
    protected String env;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ivs.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void newEnvironment() {
        client = new IvsClient(port);
        env = "test-" + UUID.randomUUID();
        IvsClient.Response created = client.put("/admin/environments/" + env, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** A new client of this test's environment with exactly these roles, signed in. */
    protected IvsClient clientWith(String... roles) {
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "environments", List.of(env),
                        "roles", List.of(roles),
                        "description", "made by a test")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return client.withToken(client.accessToken(
                created.json().path("clientId").asString(),
                created.json().path("clientSecret").asString(),
                env));
    }

    protected String api(String path) {
        return "/api/environment/" + env + path;
    }

    /** The environment's active configuration document. */
    protected ObjectNode configuration() {
        IvsClient.Response response = client.get(api("/configuration"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return (ObjectNode) response.json();
    }

    /** Edits the active configuration and posts it back; the update must succeed. */
    protected void configure(Consumer<ObjectNode> edit) {
        ObjectNode document = configuration();
        edit.accept(document);
        IvsClient.Response response =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Adds or replaces a data source in a configuration document. */
    public static ObjectNode dataSource(ObjectNode document, String name) {
        ObjectNode systems = (ObjectNode) document.get("inventorySystemConfigurations");
        ObjectNode ds = systems.putObject(name);
        ds.put("dataSourceName", name);
        ds.putObject("dimensionMappings");
        ds.putArray("physicalMeasures");
        ds.putObject("calculatedMeasures");
        ds.putObject("reservMappings");
        return ds;
    }

    /** Adds a calculated measure {@code name} to a data source node. */
    public static void calculated(
            ObjectNode ds, String name, String[] additions, String[] subtractions) {
        ObjectNode measure = ((ObjectNode) ds.get("calculatedMeasures")).putObject(name);
        var add = measure.putArray("additionModifiers");
        for (String a : additions) {
            add.add(a);
        }
        var sub = measure.putArray("subtractionModifiers");
        for (String s : subtractions) {
            sub.add(s);
        }
    }

    /** The quantity at {@code ds.measure} of a result row, as a plain string. */
    public static String quantity(JsonNode row, String dataSource, String measure) {
        JsonNode value = row.path("quantities").path(dataSource).path(measure);
        return value.isMissingNode()
                ? null
                : value.decimalValue().stripTrailingZeros().toPlainString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ivs-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
