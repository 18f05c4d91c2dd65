package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.IvsApplication;
import io.ivs.server.onhand.ItemRefusals;
import io.ivs.server.postgres.EmbeddedPostgres;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Two IVS instances on one database behind an imagined load balancer (DESIGN D4): a console
 * session started on one instance works on the other, its draft and CSRF token included, and
 * signing out on one ends it on both; items refused by one instance show on the other's overview.
 */
class ConsoleTwoInstancesIntegrationTest {
    private static final List<Path> DIRECTORIES = new ArrayList<>();
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static String env;

    @BeforeAll
    static void start() throws IOException {
        first = start(List.of());
        EmbeddedPostgres database =
                first.getBeanProvider(EmbeddedPostgres.class).getIfAvailable();
        second = start(
                database == null
                        ? List.of()
                        : List.of(
                                "--ivs.database.url=" + database.jdbcUrl(),
                                "--ivs.database.user=" + database.user(),
                                "--ivs.database.password=" + database.password()));
        env = "console-two-" + UUID.randomUUID();
        assertThat(new IvsClient(port(first))
                        .put("/admin/environments/" + env, null)
                        .status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() throws IOException {
        for (ConfigurableApplicationContext context : List.of(second, first)) {
            if (context != null) {
                context.close();
            }
        }
        for (Path dir : DIRECTORIES) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void sessionFromOneInstance_servesOnTheOther_untilSignedOutOnEither() {
        ConsoleHttp one = new ConsoleHttp(port(first));
        assertThat(one.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
        ConsoleHttp two = new ConsoleHttp(port(second)).withSession(one.session());
        String configuration = "/console/env/" + env + "/configuration";

        assertThat(two.get("/console/env/" + env + "/onhand").status()).isEqualTo(200);
        ConsoleHttp.Page added =
                two.post(configuration + "/datasources", Map.of("dataSourceName", "ecom"), true);
        assertThat(added.status()).isEqualTo(302);
        assertThat(one.get(configuration).body())
                .contains("Draft with changes")
                .contains("id=\"ds-ecom\"");

        assertThat(one.post("/console/logout", Map.of(), true).status()).isEqualTo(302);
        ConsoleHttp.Page after = two.get("/console/env/" + env + "/onhand");
        assertThat(after.status()).isEqualTo(302);
        assertThat(after.location()).endsWith("/console/login");
    }

    @Test
    void itemsRefusedOnOneInstance_showOnTheOthersOverview() {
        ConsoleHttp one = new ConsoleHttp(port(first));
        assertThat(one.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);
        String overview = "/console/env/" + env + "/overview";
        first.getBean(ItemRefusals.class).flush();
        long before = refused(one.get(overview).body());

        IvsClient.Response answer = new IvsClient(port(second))
                .post(
                        "/api/environment/" + env + "/onhand/bulk",
                        IvsClient.json(List.of("not an event", "nor this")));
        assertThat(answer.status()).as(answer.body()).isLessThan(500);
        assertThat(refused(one.get(overview).body()))
                .as("not flushed yet: the first instance cannot know")
                .isEqualTo(before);

        second.getBean(ItemRefusals.class).flush();
        String after = one.get(overview).body();
        assertThat(refused(after)).isEqualTo(before + 2);
        assertThat(after).contains("id=\"refused-table\"", "<td>invalid</td>");
    }

    /** The total of the overview's chart of refused items. */
    private static long refused(String overview) {
        Matcher total = Pattern.compile(
                        "id=\"rate-refusals\">.*?<span class=\"chart-total\">(\\d+)</span>",
                        Pattern.DOTALL)
                .matcher(overview);
        assertThat(total.find()).as(overview).isTrue();
        return Long.parseLong(total.group(1));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext start(List<String> more) throws IOException {
        Path dataDir = Files.createTempDirectory("ivs-console-two-");
        // As root the embedded PostgreSQL runs as user nobody, which must traverse this folder.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        DIRECTORIES.add(dataDir);
        // Refused items are flushed by the test, not by the minute's schedule.
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--ivs.data-dir=" + dataDir,
                "--ivs.refusals.flush-interval=PT1H"));
        args.addAll(more);
        return new SpringApplicationBuilder(IvsApplication.class).run(args.toArray(String[]::new));
    }
}
