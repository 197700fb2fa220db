package com.example.agent;

import dev.aml.maintenance.MemoryManager;
import dev.aml.spring.ai.AmlMemoryAdvisor;
import dev.aml.spring.ai.AmlTools;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.stereotype.Service;

/**
 * One agent, "coder": its prompt holds what worked before (AmlMemoryAdvisor), and the model can
 * recall, record and report outcomes (AmlTools). The agent name is this application's choice; the
 * model cannot pick another agent's memory.
 */
@Service
public class CodingAgent {

    static final String AGENT = "coder";

    private final ChatClient client;

    public CodingAgent(ChatModel model, MemoryManager aml) {
        this.client = ChatClient.builder(model)
                .defaultSystem("You are a coding agent. Before a task, call aml_recall; afterwards report with"
                        + " aml_record_outcome whether what you used worked.")
                .defaultAdvisors(AmlMemoryAdvisor.builder(aml).agent(AGENT).build())
                .defaultTools(AmlTools.forAgent(aml, AGENT))
                .build();
    }

    public String handle(String task) {
        return client.prompt().user(task).call().content();
    }
}
