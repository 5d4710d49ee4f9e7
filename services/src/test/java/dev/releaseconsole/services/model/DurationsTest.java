package dev.releaseconsole.services.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void parsesWhatPeopleWriteInConfigurationFiles() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse(" 2h ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("14d")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("1d12h")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void refusesAnythingElseWithTheAcceptedForm() {
        for (String bad : new String[]{"", "10", "ten seconds", "10 s", "-5s", "1.5h", "10s!", "9999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("write it like 500ms, 10s, 1m30s, 2h or 14d");
        }
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
