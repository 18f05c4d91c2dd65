package io.ivs.server.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.Test;

/**
 * Module rules for security (STYLE.md): beside its own Jdbc stores it reaches storage only through
 * its ports, and the IV API's packages know nothing of it, so that enforcement stays in one place.
 */
class SecurityArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ivs.server");

    @Test
    void import_productionClasses_findsSecurityAndItsStores() {
        assertThat(SERVER.contain(SecurityConfiguration.class)).isTrue();
        assertThat(SERVER.contain(JdbcClientStore.class)).isTrue();
        assertThat(SERVER.contain(SecurityArchitectureTest.class)).isFalse();
    }

    @Test
    void securityClasses_besideTheirStores_dependOnNoPostgresOrJdbcClass() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.security..")
                .and(DescribedPredicate.describe(
                        "are no Jdbc store (nor nested in one)",
                        type -> !type.getName()
                                .substring(type.getPackageName().length() + 1)
                                .startsWith("Jdbc")))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.postgres..")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("Jdbc")
                .because("security reaches storage through ClientStore and SigningKeyStore");

        rule.check(SERVER);
    }

    @Test
    void ivApiClasses_dependOnNoSecurityClass() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(
                        "io.ivs.server.web..",
                        "io.ivs.server.environment..",
                        "io.ivs.server.onhand..",
                        "io.ivs.server.reservation..",
                        "io.ivs.server.allocation..",
                        "io.ivs.server.atp..",
                        "io.ivs.server.feed..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.security..")
                .because("every API call is checked before it reaches a controller");

        rule.check(SERVER);
    }

    /** The rules can fail: the security package's own stores do use the PostgreSQL plumbing. */
    @Test
    void dependencyRule_onTheStores_findsTheirUseOfPostgres() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.security..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.postgres..");

        assertThat(rule.evaluate(SERVER).getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("JdbcClientStore"));
    }
}
