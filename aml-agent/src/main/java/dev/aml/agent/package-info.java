/**
 * What an AI agent framework exposes of AML to a model, without depending on any framework:
 * {@link dev.aml.agent.AgentToolkit} (recall patterns for a task, find solutions for an error, record a
 * pattern, solution or decision, record an outcome), always on one agent's memory that the application
 * names, and {@link dev.aml.agent.MemoryBrief}, the compact text those tools and the prompt advisors
 * and retrievers show the model. aml-spring-ai and aml-langchain4j are thin annotations over it.
 */
@NullMarked
package dev.aml.agent;

import org.jspecify.annotations.NullMarked;
