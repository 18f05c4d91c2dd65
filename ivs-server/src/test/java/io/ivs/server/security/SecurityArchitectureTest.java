package io.ivs.server.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.ivs.server.postgres.JdbcClientStore;

import org.junit.jupiter.api.Test;

/**
 * Module rules for security (STYLE.md): it reaches storage only through its ports, and the IV
 * controllers know nothing of it, so that enforcement stays in one place.
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
    void securityClasses_dependOnNoPostgresClass() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.security..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.postgres..")
                .because("security reaches storage through ClientStore and SigningKeyStore");

        rule.check(SERVER);
    }

    @Test
    void httpClasses_dependOnNoSecurityClass() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.http..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.security..")
                .because("every API call is checked before it reaches a controller");

        rule.check(SERVER);
    }

    /** The rules can fail: the PostgreSQL stores do implement the security ports. */
    @Test
    void dependencyRule_onPostgresPackage_findsTheSecurityPorts() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.postgres..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.security..");

        assertThat(rule.evaluate(SERVER).hasViolation()).isTrue();
    }
}
