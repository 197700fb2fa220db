/** Contract test kit for {@link dev.aml.core.MemoryStore} implementations, and test fixtures. */
package dev.aml.core.contract;
