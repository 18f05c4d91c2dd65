package io.ivs.server.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
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
     * No console class reads the database itself: the overview's counts, its rates and the saved
     * explorer queries come through ports of the features that own the tables.
     */
    @Test
    void consoleClasses_dependOnNoStoreOrApiController() {
        RULE.check(SERVER);
    }

    private static final ArchRule RULE = noClasses()
            .that()
            .resideInAPackage("io.ivs.server.console..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.ivs.server.postgres..")
            .orShould()
            .dependOnClassesThat(DescribedPredicate.describe(
                    "are Jdbc classes", type -> type.getSimpleName().startsWith("Jdbc")))
            .orShould()
            .dependOnClassesThat(DescribedPredicate.describe(
                    "are controllers of another package",
                    type -> type.getSimpleName().endsWith("Controller")
                            && type.getPackageName().startsWith("io.ivs.server")
                            && !type.getPackageName().startsWith("io.ivs.server.console")))
            .because("the console uses the same core services as the API, not its adapters");

    /** A console-side class that reads the database itself. */
    static final class OwnReader {
        final Class<?> jdbc = JdbcClient.class;
    }

    /** The rule can fail: a class of the console package using {@code JdbcClient}. */
    @Test
    void dependencyRule_onAConsoleClassUsingJdbcClient_findsIt() {
        JavaClasses offender = new ClassFileImporter().importClasses(OwnReader.class);

        assertThat(RULE.evaluate(offender).getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("OwnReader", "JdbcClient"));
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
