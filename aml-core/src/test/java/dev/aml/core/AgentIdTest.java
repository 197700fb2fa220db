package dev.aml.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"coder", "code-reviewer", "agent_1", "Тестер", "a.b"})
    void acceptsOrdinaryNames(String name) {
        assertThat(AgentId.of(name).name()).isEqualTo(name);
        assertThat(AgentId.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "..", "../x", "a/b", "a\\b", "/etc", "C:", ".git", "a\u0000b", "a\nb",
        "tab\there", " lead", "trail ", "global", "CONFIG", "monitoring", "backup", "audit", "a\u202Eb"})
    void rejectsHostileAndReservedNames(String name) {
        assertThatThrownBy(() -> AgentId.of(name))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid agent name");
        assertThat(AgentId.isValid(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "a\u0000b", "global"})
    void messagesSayWhichRuleFailed(String name) {
        assertThatThrownBy(() -> AgentId.of(name)).hasMessageMatching(
                ".*(path separator|NUL|reserved folder name).*");
    }

    @org.junit.jupiter.api.Test
    void acceptsTheLongestAllowedName() {
        assertThat(AgentId.of("x".repeat(AgentId.MAX_LENGTH)).name()).hasSize(128);
    }

    @org.junit.jupiter.api.Test
    void rejectsTooLongNamesWithTheLength() {
        assertThatThrownBy(() -> AgentId.of("x".repeat(129))).hasMessageContaining("129 characters");
    }

    @org.junit.jupiter.api.Test
    void rejectsNull() {
        assertThatThrownBy(() -> new AgentId(null)).isInstanceOf(InvalidInputException.class);
    }

    @Property(tries = 2000)
    void noValidNameLeavesTheRoot(@ForAll String name) {
        if (!AgentId.isValid(name)) {
            assertThatThrownBy(() -> AgentId.of(name)).isInstanceOf(InvalidInputException.class);
            return;
        }
        Path root = Path.of("/memory").normalize();
        Path resolved = root.resolve(AgentId.of(name).name()).normalize();
        assertThat(resolved.getParent()).isEqualTo(root);
        assertThat(resolved.getFileName().toString()).isEqualTo(name);
    }
}
