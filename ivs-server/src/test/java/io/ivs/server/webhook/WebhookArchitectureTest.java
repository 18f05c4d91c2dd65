package io.ivs.server.webhook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.ivs.server.kafka.KafkaPublisher;

import org.junit.jupiter.api.Test;

/**
 * Module rules for the feed consumers that IVS drives itself: webhooks and the Kafka publisher
 * reach storage only through their ports ({@link WebhookStore}, {@code KafkaCursorStore}), beside
 * their own Jdbc stores, and know nothing of the IV API's feature packages or controllers.
 */
class WebhookArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ivs.server");

    @Test
    void import_productionClasses_findsWebhooksAndKafka() {
        assertThat(SERVER.contain(WebhookDispatcher.class)).isTrue();
        assertThat(SERVER.contain(KafkaPublisher.class)).isTrue();
        assertThat(SERVER.contain(WebhookArchitectureTest.class)).isFalse();
    }

    @Test
    void webhookAndKafkaClasses_dependOnNoPostgresJdbcOrIvApiClass() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage("io.ivs.server.webhook..", "io.ivs.server.kafka..")
                .and(DescribedPredicate.describe(
                        "are no Jdbc store (nor nested in one)",
                        type -> !type.getName()
                                .substring(type.getPackageName().length() + 1)
                                .startsWith("Jdbc")))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.ivs.server.postgres..",
                        "io.ivs.server.onhand..",
                        "io.ivs.server.reservation..",
                        "io.ivs.server.allocation..",
                        "io.ivs.server.atp..")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("Jdbc")
                .orShould()
                .dependOnClassesThat(DescribedPredicate.describe(
                        "are controllers of the server",
                        type -> type.getPackageName().startsWith("io.ivs.server")
                                && type.getSimpleName().endsWith("Controller")))
                .because("they reach storage through their ports and serve their own API");

        rule.check(SERVER);
    }

    /** The rule can fail: the packages' own stores are JDBC classes that implement the ports. */
    @Test
    void dependencyRule_onTheStores_findsThePorts() {
        ArchRule rule = noClasses()
                .that()
                .haveSimpleNameStartingWith("Jdbc")
                .should()
                .dependOnClassesThat()
                .haveSimpleName("WebhookStore")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleName("KafkaCursorStore");

        assertThat(rule.evaluate(SERVER).getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("JdbcWebhookStore"))
                .anySatisfy(line -> assertThat(line).contains("JdbcKafkaCursorStore"));
    }
}
