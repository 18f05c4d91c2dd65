package io.ivs.server.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console is an adapter beside the HTTP API (STYLE.md): it reaches data only through core
 * services and ports and the server's configuration service, never through the PostgreSQL
 * stores or the API's controllers, so that it cannot show something the API would not.
 */
class ConsoleArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ivs.server");

    @Test
    void import_productionClasses_findsTheConsole() {
        assertThat(SERVER.contain(OnHandExplorerController.class)).isTrue();
        assertThat(SERVER.contain(ConsoleArchitectureTest.class)).isFalse();
    }

    /**
     * The console's own bounded reads: the overview's counts (alert states, reservations held,
     * allocation buckets, claimed event ids per hour), for which no port exists, and the saved
     * explorer queries, data only the console has. They may use {@code JdbcClient}, and nothing
     * else the rule forbids.
     */
    private static final String[] OWN_READS = {
        OverviewQueries.class.getName(), SavedQueries.class.getName()
    };

    @Test
    void consoleClasses_dependOnNoStoreOrApiController() {
        rule(false).check(SERVER);
        rule(true).check(SERVER);
    }

    private static ArchRule rule(boolean ownReads) {
        DescribedPredicate<JavaClass> jdbc = ownReads
                ? DescribedPredicate.describe(
                        "are Jdbc classes other than JdbcClient",
                        type -> type.getSimpleName().startsWith("Jdbc")
                                && !type.getName().equals(JdbcClient.class.getName()))
                : DescribedPredicate.describe(
                        "are Jdbc classes", type -> type.getSimpleName().startsWith("Jdbc"));
        return (ownReads
                        ? noClasses().that().haveNameMatching(String.join("|", quoted()))
                        : noClasses()
                                .that()
                                .resideInAPackage("io.ivs.server.console..")
                                .and()
                                .haveNameNotMatching(String.join("|", quoted())))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.postgres..")
                .orShould()
                .dependOnClassesThat(jdbc)
                .orShould()
                .dependOnClassesThat(DescribedPredicate.describe(
                        "are controllers of another package",
                        type -> type.getSimpleName().endsWith("Controller")
                                && type.getPackageName().startsWith("io.ivs.server")
                                && !type.getPackageName().startsWith("io.ivs.server.console")))
                .because("the console uses the same core services as the API, not its adapters");
    }

    /** The own-read classes as patterns, their nested types included. */
    private static String[] quoted() {
        return java.util.Arrays.stream(OWN_READS)
                .map(name -> java.util.regex.Pattern.quote(name) + "(\\$.*)?")
                .toArray(String[]::new);
    }

    /** The rule can fail: the console does depend on the security package's client store. */
    @Test
    void dependencyRule_onSecurityPackage_findsTheClientStore() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.console..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.security..");

        assertThat(rule.evaluate(SERVER).hasViolation()).isTrue();
    }
}
