package io.ivs.server.webhook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.ivs.server.kafka.KafkaPublisher;

import org.junit.jupiter.api.Test;

/**
 * Module rules for the feed consumers that IVS drives itself: webhooks and the Kafka publisher
 * reach storage only through their ports ({@link WebhookStore}, {@code KafkaCursorStore}) and
 * know nothing of the HTTP API package.
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
    void webhookAndKafkaClasses_dependOnNoPostgresOrHttpClass() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage("io.ivs.server.webhook..", "io.ivs.server.kafka..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ivs.server.postgres..", "io.ivs.server.http..")
                .because("they reach storage through their ports and serve their own API");

        rule.check(SERVER);
    }

    /** The rule can fail: the PostgreSQL stores do implement the webhook and Kafka ports. */
    @Test
    void dependencyRule_onPostgresPackage_findsThePorts() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.ivs.server.postgres..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ivs.server.webhook..", "io.ivs.server.kafka..");

        assertThat(rule.evaluate(SERVER).hasViolation()).isTrue();
    }
}
