package io.ivs.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import io.ivs.server.onhand.JdbcOnHandStore;
import io.ivs.server.onhand.OnHandController;
import io.ivs.server.reservation.JdbcReservationStore;
import io.ivs.server.wiring.CoreWiring;

import org.junit.jupiter.api.Test;

import java.util.Set;

/**
 * The server's module rules (DESIGN D6, STYLE.md), in one place: the server is organised by
 * feature over two shared kernels, {@code web} (the IV wire protocol) and {@code postgres}
 * (database plumbing), which know no feature; features do not form cycles, and none reaches into
 * another's stores or controllers; core services are constructed only in {@code wiring}. Rules
 * fail when they match no class (ArchUnit's default), so an empty import cannot pass silently.
 */
class ModularityTest {
    private static final String SERVER_PACKAGE = "io.ivs.server";

    private static final Set<String> FEATURES = Set.of(
            "environment",
            "onhand",
            "reservation",
            "allocation",
            "atp",
            "feed",
            "webhook",
            "kafka",
            "ingest",
            "security",
            "summary",
            "console",
            "alert",
            "lake",
            "sync",
            "product",
            "adjustment",
            "inventorylog");

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(SERVER_PACKAGE);

    private static final ArchRule PACKAGES_FREE_OF_CYCLES = slices().matching("io.ivs.server.(*)..")
            .should()
            .beFreeOfCycles()
            .because("each feature and kernel can then be read, and changed, from the bottom up");

    private static final ArchRule KERNELS_KNOW_NO_FEATURE = noClasses()
            .that()
            .resideInAnyPackage("io.ivs.server.web..", "io.ivs.server.postgres..")
            .should()
            .dependOnClassesThat(DescribedPredicate.describe(
                    "reside in a feature package", ModularityTest::inFeature))
            .because("web and postgres are the shared kernels every feature stands on");

    private static final ArchRule NO_FOREIGN_STORES_OR_CONTROLLERS = noClasses()
            .should(useAnotherPackagesStoreOrController())
            .because("a feature uses another only through its ports and services");

    private static final ArchRule CONTROLLERS_WITHOUT_STORES = noClasses()
            .that(DescribedPredicate.describe("are controllers", ModularityTest::isController))
            .should()
            .dependOnClassesThat(
                    DescribedPredicate.describe("are Jdbc stores", ModularityTest::isStore))
            .because("controllers reach storage through core ports and services");

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

    /** The top-level package below {@code io.ivs.server}, or "" for the root and other code. */
    private static String module(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith(SERVER_PACKAGE + ".")) {
            return "";
        }
        String rest = name.substring(SERVER_PACKAGE.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static boolean inFeature(JavaClass type) {
        return FEATURES.contains(module(type));
    }

    /** The simple name of the top-level class, so that nested classes count as their owner. */
    private static String topLevelName(JavaClass type) {
        String name = type.getName().substring(type.getPackageName().length() + 1);
        int dollar = name.indexOf('$');
        return dollar < 0 ? name : name.substring(0, dollar);
    }

    private static boolean isStore(JavaClass type) {
        return !module(type).isEmpty() && topLevelName(type).startsWith("Jdbc");
    }

    private static boolean isController(JavaClass type) {
        return !module(type).isEmpty() && topLevelName(type).endsWith("Controller");
    }

    private static ArchCondition<JavaClass> useAnotherPackagesStoreOrController() {
        return new ArchCondition<>("use a Jdbc store or a controller of another package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    boolean foreign = !module(target).equals(module(origin));
                    if (foreign && (isStore(target) || isController(target))) {
                        events.add(SimpleConditionEvent.satisfied(
                                dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    @Test
    void import_productionClasses_findsFeaturesAndWiringButNoTests() {
        assertThat(SERVER.contain(OnHandController.class)).isTrue();
        assertThat(SERVER.contain(JdbcOnHandStore.class)).isTrue();
        assertThat(SERVER.contain(CoreWiring.class)).isTrue();
        assertThat(SERVER.contain(ModularityTest.class)).isFalse();
    }

    @Test
    void serverPackages_formNoCycles() {
        PACKAGES_FREE_OF_CYCLES.check(SERVER);
    }

    @Test
    void webAndPostgres_dependOnNoFeature() {
        KERNELS_KNOW_NO_FEATURE.check(SERVER);
    }

    @Test
    void noPackage_usesAnotherPackagesStoresOrControllers() {
        NO_FOREIGN_STORES_OR_CONTROLLERS.check(SERVER);
    }

    @Test
    void controllers_dependOnNoJdbcStore() {
        CONTROLLERS_WITHOUT_STORES.check(SERVER);
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

    /** The kernel rule must be able to fail: every feature stands on web, so web is used. */
    @Test
    void kernelRule_appliedToFeatures_findsTheirUseOfWeb() {
        ArchRule featuresKnowNoWeb = noClasses()
                .that(DescribedPredicate.describe(
                        "reside in a feature package", ModularityTest::inFeature))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ivs.server.web..");

        assertThat(featuresKnowNoWeb.evaluate(SERVER).hasViolation()).isTrue();
    }

    /** A class outside the reservation feature that reaches into its store. */
    static final class ForeignStoreUser {
        final Class<?> store = JdbcReservationStore.class;
    }

    /** The store rule must be able to fail: a class of another package using a store. */
    @Test
    void storeRule_onAClassUsingAnotherPackagesStore_findsIt() {
        JavaClasses offender = new ClassFileImporter().importClasses(ForeignStoreUser.class);

        assertThat(NO_FOREIGN_STORES_OR_CONTROLLERS
                        .evaluate(offender)
                        .getFailureReport()
                        .getDetails())
                .isNotEmpty()
                .allSatisfy(line ->
                        assertThat(line).contains("ForeignStoreUser", "JdbcReservationStore"));
    }

    /** The store predicate must be able to match, nested types included: a store uses its own. */
    @Test
    void storePredicate_onStoresUsingStores_findsAStoreUsingItsNestedTypes() {
        ArchRule storesUseNoStore = noClasses()
                .that(DescribedPredicate.describe("are Jdbc stores", ModularityTest::isStore))
                .should()
                .dependOnClassesThat(
                        DescribedPredicate.describe("are Jdbc stores", ModularityTest::isStore));

        assertThat(storesUseNoStore.evaluate(SERVER).getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("JdbcReservationStore$JdbcTx"));
    }

    /** The core's packages form no cycle either: each port lives with its feature. */
    @Test
    void corePackages_formNoCycles() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ivs.core");

        slices().matching("io.ivs.core.(*)..").should().beFreeOfCycles().check(core);
    }

    /** The cycle rule must be able to fail: two test packages that use each other. */
    @Test
    void cycleRule_onTwoPackagesUsingEachOther_reportsTheCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.ivs.server.cyclefixture");
        ArchRule freeOfCycles =
                slices().matching("io.ivs.server.cyclefixture.(*)..").should().beFreeOfCycles();

        assertThat(fixture.size()).isEqualTo(2);
        assertThat(freeOfCycles.evaluate(fixture).hasViolation()).isTrue();
    }
}
