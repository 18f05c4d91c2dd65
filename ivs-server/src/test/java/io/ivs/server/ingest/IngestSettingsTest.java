package io.ivs.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.server.security.Role;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

class IngestSettingsTest {
    private static IngestSettings settings(String deadLetters, IngestSettings.Source... sources) {
        return new IngestSettings(
                "",
                "ivs-ingest",
                deadLetters,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                List.of(sources),
                null,
                null);
    }

    private static IngestSettings.Source source(String topic, Set<String> roles) {
        return new IngestSettings.Source(topic, "prod", "", "", roles);
    }

    @Test
    void noSource_isOff() {
        assertThat(settings("dlq").enabled()).isFalse();
        assertThat(settings("dlq", source("t", Set.of("inventory.write"))).enabled())
                .isTrue();
    }

    @Test
    void source_rolesMatchedCaseInsensitively_andCheckedLikeTheApi() {
        IngestSettings.Source source = source("t", Set.of(" Inventory.WRITE "));

        assertThat(source.roles()).containsExactly("inventory.write");
        assertThat(source.holdsOneOf(Set.of(Role.INVENTORY_WRITE))).isTrue();
        assertThat(source.holdsOneOf(Set.of(Role.CONFIG_ADMIN))).isFalse();
    }

    @Test
    void source_unknownRole_refusedAtStart() {
        assertThatThrownBy(() -> source("t", Set.of("inventory.everything")))
                .hasMessageContaining("unknown role 'inventory.everything'");
    }

    @Test
    void source_unknownKind_refusedAtStart() {
        assertThatThrownBy(() -> new IngestSettings.Source("t", "", "stock", "", Set.of()))
                .hasMessageContaining("onhand, setonhand, sync");
    }

    @Test
    void settings_sameTopicTwice_orTheDeadLetterTopicAsASource_refused() {
        IngestSettings.Source a = source("t", Set.of());
        assertThatThrownBy(() -> settings("dlq", a, source("t", Set.of())))
                .hasMessageContaining("names topic 't' twice");
        assertThatThrownBy(() -> settings("t", a)).hasMessageContaining("dead-letter topic 't'");
    }

    @Test
    void settings_blankTopic_refused() {
        assertThatThrownBy(() -> source(" ", Set.of())).hasMessageContaining("topic");
        assertThat(settings("dlq").consumer()).isEqualTo(Map.of());
    }
}
