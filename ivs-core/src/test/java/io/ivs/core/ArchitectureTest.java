package io.ivs.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.ivs.core.onhand.OnHandService;

import org.junit.jupiter.api.Test;

/**
 * The core is plain Java (STYLE.md): it depends on the JDK, JSpecify and itself, and in
 * particular on no Spring, JDBC or Jackson. Rules fail when they match no class (ArchUnit's
 * default), so an import that finds nothing cannot pass silently.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ivs.core");

    private static final ArchRule ONLY_JDK_JSPECIFY_AND_CORE = classes()
            .that()
            .resideInAPackage("io.ivs.core..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.jspecify..", "io.ivs.core..")
            .because("the core is plain Java and depends on JSpecify only");

    private static final ArchRule NO_FRAMEWORKS = noClasses()
            .that()
            .resideInAPackage("io.ivs.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "java.sql..",
                    "javax.sql..",
                    "tools.jackson..",
                    "com.fasterxml..")
            .because("Spring, JDBC and Jackson belong to the server module");

    @Test
    void import_productionClasses_findsTheCoreButNoTests() {
        assertThat(CORE.contain(OnHandService.class)).isTrue();
        assertThat(CORE.contain(ArchitectureTest.class)).isFalse();
        assertThat(CORE.size()).isGreaterThan(20);
    }

    @Test
    void coreClasses_dependOnlyOnJdkJSpecifyAndCore() {
        ONLY_JDK_JSPECIFY_AND_CORE.check(CORE);
    }

    @Test
    void coreClasses_dependOnNoSpringJdbcOrJackson() {
        NO_FRAMEWORKS.check(CORE);
    }

    /** The rule must be able to fail: this test class depends on ArchUnit and AssertJ. */
    @Test
    void dependencyRule_onAClassUsingALibrary_reportsAViolation() {
        JavaClasses withLibrary = new ClassFileImporter().importClasses(ArchitectureTest.class);

        assertThat(ONLY_JDK_JSPECIFY_AND_CORE.evaluate(withLibrary).hasViolation())
                .isTrue();
    }
}
