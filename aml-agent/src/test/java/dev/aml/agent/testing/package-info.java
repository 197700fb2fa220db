/**
 * Fixtures shared by the framework adapters' tests through aml-agent's test-jar
 * ({@code <type>test-jar</type>}, test scope): the memory their end-to-end tests start from.
 */
@NullMarked
package dev.aml.agent.testing;

import org.jspecify.annotations.NullMarked;
