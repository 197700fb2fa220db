/**
 * AML agent tools, framework-neutral: {@link dev.aml.agent.AgentToolkit} and {@link dev.aml.agent.MemoryBrief}.
 */
module dev.aml.agent {
    requires transitive dev.aml.maintenance;
    requires com.fasterxml.jackson.databind;
    requires static transitive org.jspecify;

    exports dev.aml.agent;
}
