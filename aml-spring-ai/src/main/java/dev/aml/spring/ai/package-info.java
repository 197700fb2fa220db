/**
 * AML for Spring AI: {@link dev.aml.spring.ai.AmlTools} (tools a model calls to recall what worked, find
 * fixes, record what it learned and report outcomes) and {@link dev.aml.spring.ai.AmlMemoryAdvisor}
 * (the relevant memory in the system prompt). The agent always comes from the application.
 */
@NullMarked
package dev.aml.spring.ai;

import org.jspecify.annotations.NullMarked;
