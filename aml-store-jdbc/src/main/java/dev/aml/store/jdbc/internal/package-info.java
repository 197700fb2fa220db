/**
 * Implementation of the PostgreSQL store: schema migrations ({@code SchemaMigrations}), SQL,
 * advisory locks, the mapping of items to rows ({@code DocCodec}) and the store's provider. Not
 * exported; may change in any release.
 */
@NullMarked
package dev.aml.store.jdbc.internal;

import org.jspecify.annotations.NullMarked;
