/**
 * Spring Boot auto-configuration for AML: the {@code MemoryManager} bean (on any store location
 * {@code aml.location} names — a file tree, {@code jdbc:postgresql:}, {@code memory:} — through the core's
 * {@code MemoryStoreProvider}s, on PostgreSQL through the application's {@code DataSource}, or in memory)
 * configured by the {@code aml.*} properties, whose settings sections are the CLI's settings file in
 * kebab-case; Micrometer meters; the Actuator health component {@code aml};
 * and, with {@code aml.maintenance.enabled=true}, the seed's maintenance plan. Every bean backs off when
 * the application defines its own.
 */
@NullMarked
package dev.aml.spring.boot;

import org.jspecify.annotations.NullMarked;
