package dev.aml.spring.ai;

import dev.aml.agent.AgentToolkit;
import dev.aml.agent.MemoryBrief;
import dev.aml.core.AgentId;
import dev.aml.core.Outcome;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import dev.aml.maintenance.MemoryManager;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.AdvisorChain;
import org.springframework.ai.chat.client.advisor.api.BaseAdvisor;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * Puts what the agent learned into the prompt: before each call, the items of the agent's memory
 * most relevant to the user's message (relevance retrieval, ranked with each item's own success
 * record) are appended to the system message as a {@link MemoryBrief} (a header line and one line per
 * item: kind, id, gist, success rate and runs). After the call, an optional {@link OutcomeJudge} may
 * name outcomes for the items shown, which are recorded in the agent's memory.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder(model)
 *         .defaultAdvisors(AmlMemoryAdvisor.builder(aml).agent("coder").build())
 *         .build();
 * }</pre>
 *
 * <p>The agent is fixed by {@link Builder#agent} or read per request from the advisor parameter
 * {@value AmlTools#AGENT} ({@code .advisors(a -> a.param(AmlTools.AGENT, "coder"))}); never from the
 * model. Without a user message nothing is added. The shown items are in the response context under
 * {@value #SHOWN}.
 */
public final class AmlMemoryAdvisor implements BaseAdvisor {

    /** Response context key holding the {@code List<ScoredItem>} shown to the model. */
    public static final String SHOWN = "aml.shown";
    /** Default order: just after Spring AI's chat memory advisors. */
    public static final int DEFAULT_ORDER = DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER + 100;

    /** Decides, after a call, which of the shown items worked. */
    @FunctionalInterface
    public interface OutcomeJudge {
        /**
         * @param response the model's answer
         * @param shown the items the prompt held, best first
         * @return outcomes by item id (ids not shown are ignored); empty to record nothing
         */
        Map<String, Outcome> judge(ChatClientResponse response, List<ScoredItem> shown);
    }

    private final AgentToolkit toolkit;
    private final @Nullable AgentId fixed;
    private final @Nullable OutcomeJudge judge;
    private final int order;

    private AmlMemoryAdvisor(Builder b) {
        this.toolkit = b.toolkit;
        this.fixed = b.agent;
        this.judge = b.judge;
        this.order = b.order;
    }

    /**
     * @param aml the memory
     * @return a builder (5 items, {@link #DEFAULT_ORDER})
     */
    public static Builder builder(MemoryManager aml) {
        return new Builder(AgentToolkit.of(aml));
    }

    /**
     * @param toolkit the operations, with the number of items to show
     * @return a builder
     */
    public static Builder builder(AgentToolkit toolkit) {
        return new Builder(toolkit);
    }

    @Override
    public ChatClientRequest before(ChatClientRequest request, AdvisorChain chain) {
        UserMessage user = request.prompt().getUserMessage();
        String text = user == null ? null : user.getText();
        if (text == null || text.isBlank()) {
            return request;
        }
        List<ScoredItem> shown = toolkit.relevantItems(agent(request.context()), Situation.ofText(text));
        String brief = MemoryBrief.of(shown);
        return request.mutate()
                .prompt(request.prompt().augmentSystemMessage((SystemMessage system) -> system.mutate()
                        .text(system.getText() == null || system.getText().isBlank() ? brief
                                : system.getText() + "\n\n" + brief)
                        .build()))
                .context(SHOWN, shown).build();
    }

    @Override
    public ChatClientResponse after(ChatClientResponse response, AdvisorChain chain) {
        Object shownValue = response.context().get(SHOWN);
        if (judge == null || !(shownValue instanceof List<?> list) || list.isEmpty()) {
            return response;
        }
        @SuppressWarnings("unchecked") // put there by before()
        List<ScoredItem> shown = (List<ScoredItem>) list;
        Map<String, Outcome> outcomes = judge.judge(response, shown);
        AgentId agent = agent(response.context());
        for (ScoredItem s : shown) {
            Outcome o = outcomes.get(s.item().id());
            if (o != null) {
                toolkit.recordOutcome(agent, s.item().id(), o.succeeded(), o.duration().toMillis());
            }
        }
        return response;
    }

    private AgentId agent(Map<String, Object> context) {
        if (fixed != null) {
            return fixed;
        }
        Object name = context.get(AmlTools.AGENT);
        if (name == null) {
            throw new IllegalStateException("AmlMemoryAdvisor without .agent(..) needs the advisor parameter '"
                    + AmlTools.AGENT + "': .advisors(a -> a.param(AmlTools.AGENT, \"coder\"))");
        }
        return name instanceof AgentId id ? id : AgentId.of(name.toString());
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public String getName() {
        return "AmlMemoryAdvisor";
    }

    /** Builds an {@link AmlMemoryAdvisor}; each option may be set once. */
    public static final class Builder {
        private final AgentToolkit toolkit;
        private @Nullable AgentId agent;
        private @Nullable OutcomeJudge judge;
        private int order = DEFAULT_ORDER;
        private boolean orderSet;

        private Builder(AgentToolkit toolkit) {
            this.toolkit = Objects.requireNonNull(toolkit, "toolkit");
        }

        /**
         * @param name the agent whose memory is shown (default: the advisor parameter {@value AmlTools#AGENT})
         * @return this builder
         */
        public Builder agent(String name) {
            if (agent != null) {
                throw new IllegalStateException("agent was already set to " + agent);
            }
            agent = AgentId.of(name);
            return this;
        }

        /**
         * @param outcomeJudge records outcomes of the shown items after each call (default: none)
         * @return this builder
         */
        public Builder recordOutcomes(OutcomeJudge outcomeJudge) {
            if (judge != null) {
                throw new IllegalStateException("recordOutcomes was already set to " + judge);
            }
            judge = Objects.requireNonNull(outcomeJudge, "outcomeJudge");
            return this;
        }

        /**
         * @param newOrder the advisor order (default {@link #DEFAULT_ORDER})
         * @return this builder
         */
        public Builder order(int newOrder) {
            if (orderSet) {
                throw new IllegalStateException("order was already set to " + order);
            }
            order = newOrder;
            orderSet = true;
            return this;
        }

        /** @return the advisor */
        public AmlMemoryAdvisor build() {
            return new AmlMemoryAdvisor(this);
        }
    }
}
