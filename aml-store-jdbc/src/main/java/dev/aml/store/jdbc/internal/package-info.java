/**
 * Implementation of the PostgreSQL store: schema migrations, SQL, advisory locks and the mapping of
 * items to rows. Not exported; may change in any release.
 */
@NullMarked
package dev.aml.store.jdbc.internal;

import org.jspecify.annotations.NullMarked;
