package io.ivs.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.ivs.server.http.OnHandController;
import io.ivs.server.postgres.JdbcOnHandStore;
import io.ivs.server.wiring.CoreWiring;

import org.junit.jupiter.api.Test;

/**
 * Module rules of the server (STYLE.md): the HTTP and PostgreSQL adapters do not know each other,
 * and core services are constructed only in {@code io.ivs.server.wiring}. Rules fail when they
 * match no class (ArchUnit's default), so an empty import cannot pass silently.
 */
class ArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ivs.server");

    private static final ArchRule HTTP_WITHOUT_POSTGRES = noClasses()
            .that()
            .resideInAPackage("io.ivs.server.http..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.ivs.server.postgres..")
            .because("controllers reach storage through core ports and services");

    private static final ArchRule POSTGRES_WITHOUT_HTTP = noClasses()
            .that()
            .resideInAPackage("io.ivs.server.postgres..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.ivs.server.http..")
            .because("stores know nothing of the HTTP API");

    /** A core service: a class of {@code io.ivs.core..} whose name ends with {@code Service}. */
    private static final DescribedPredicate<JavaConstructorCall> CONSTRUCTS_CORE_SERVICE =
            DescribedPredicate.describe(
                    "a core service constructor", call -> isCoreService(call.getTargetOwner()));

    private static final ArchRule CORE_SERVICES_BUILT_IN_WIRING = noClasses()
            .that()
            .resideOutsideOfPackage("io.ivs.server.wiring..")
            .should()
            .callConstructorWhere(CONSTRUCTS_CORE_SERVICE)
            .because("io.ivs.server.wiring is the only place that constructs core services");

    private static boolean isCoreService(JavaClass owner) {
        return owner.getPackageName().startsWith("io.ivs.core")
                && owner.getSimpleName().endsWith("Service");
    }

    @Test
    void import_productionClasses_findsAdaptersAndWiringButNoTests() {
        assertThat(SERVER.contain(OnHandController.class)).isTrue();
        assertThat(SERVER.contain(JdbcOnHandStore.class)).isTrue();
        assertThat(SERVER.contain(CoreWiring.class)).isTrue();
        assertThat(SERVER.contain(ArchitectureTest.class)).isFalse();
    }

    @Test
    void httpClasses_dependOnNoPostgresClass() {
        HTTP_WITHOUT_POSTGRES.check(SERVER);
    }

    @Test
    void postgresClasses_dependOnNoHttpClass() {
        POSTGRES_WITHOUT_HTTP.check(SERVER);
    }

    @Test
    void coreServices_constructedOnlyInWiring() {
        CORE_SERVICES_BUILT_IN_WIRING.check(SERVER);
    }

    /** The construction rule must be able to fail: wiring itself does construct a service. */
    @Test
    void constructionRule_appliedToWiringPackage_findsTheConstruction() {
        ArchRule anywhere = noClasses()
                .that()
                .resideInAPackage("io.ivs.server..")
                .should()
                .callConstructorWhere(CONSTRUCTS_CORE_SERVICE);

        assertThat(anywhere.evaluate(SERVER).hasViolation()).isTrue();
        assertThat(anywhere.evaluate(SERVER).getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("CoreWiring", "OnHandService"));
    }

    /** The adapter rules must be able to fail: wiring-style code that uses both is caught. */
    @Test
    void adapterRule_onClassUsingPostgres_reportsAViolation() {
        ArchRule anyUser = noClasses()
                .that()
                .resideInAPackage("io.ivs.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.postgres..");

        assertThat(anyUser.evaluate(SERVER).hasViolation()).isTrue();
    }
}
