package dev.aml.spring.ai;

import static dev.aml.spring.ai.ScriptedChatModel.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.agent.MemoryBrief;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;

class AmlMemoryAdvisorTest {

    private MemoryManager aml;
    private Pattern backoff;
    private Pattern other;

    @BeforeEach
    void memory() {
        aml = MemoryManager.builder().build();
        backoff = aml.agent("coder").patterns().record(PatternDraft.of("api-call", Map.of())
                .approach("retry the payments API with exponential backoff", "timeouts clear up"));
        aml.agent("coder").patterns().recordOutcome(backoff.id(), Outcome.success());
        other = aml.agent("billing").patterns().record(PatternDraft.of("api-call", Map.of())
                .approach("call the payments API with billing's key", "billing only"));
    }

    @AfterEach
    void close() {
        aml.close();
    }

    @Test
    void theSystemPromptGetsTheBriefOfTheAgentsRelevantItems() {
        ScriptedChatModel model = new ScriptedChatModel().then(p -> answer("ok"));
        ChatClient.builder(model).defaultAdvisors(AmlMemoryAdvisor.builder(aml).agent("coder").build()).build()
                .prompt().system("You are a careful agent.").user("The payments API times out").call().content();

        String system = model.prompts.get(0).getSystemMessage().getText();
        assertThat(system).startsWith("You are a careful agent.\n\n" + MemoryBrief.HEADER);
        assertThat(system).contains("1. pattern " + backoff.id() + ": api-call: retry the payments API with"
                + " exponential backoff (timeouts clear up) [success 75% of 2 runs, confidence ");
        assertThat(system).doesNotContain(other.id());
    }

    @Test
    void theOutcomeHookRecordsWhatTheJudgeSaysOfTheShownItems() {
        ScriptedChatModel model = new ScriptedChatModel().then(p -> answer("retried with backoff: it worked"));
        AmlMemoryAdvisor advisor = AmlMemoryAdvisor.builder(aml)
                .recordOutcomes((response, shown) -> response.chatResponse().getResult().getOutput().getText()
                        .contains("it worked") ? Map.of(shown.get(0).item().id(), Outcome.success(),
                                other.id(), Outcome.failure()) : Map.of())
                .build();
        ChatClient.create(model).prompt().user("payments API timeout").advisors(advisor)
                .advisors(a -> a.param(AmlTools.AGENT, "coder")).call().content();

        assertThat(aml.agent("coder").patterns().get(backoff.id()).orElseThrow().executionCount()).isEqualTo(3);
        // an id that was not shown (another agent's) is ignored
        assertThat(aml.agent("billing").patterns().get(other.id()).orElseThrow()).isEqualTo(other);
    }
}
