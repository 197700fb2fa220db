package dev.aml.store.jdbc.internal;

import java.util.regex.Pattern;

/** Validation and quoting of the one identifier users choose: the schema name. */
public final class SqlNames {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SqlNames() {
    }

    /**
     * @param schema a schema name
     * @return the name, if it is 1-63 characters of lower-case ASCII letters, digits and underscores,
     *     not starting with a digit and not starting with {@code pg_}
     * @throws IllegalArgumentException naming the rule it breaks
     */
    public static String validateSchema(String schema) {
        if (!SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("Invalid schema name '" + schema + "': use 1-63 lower-case letters,"
                    + " digits and '_', not starting with a digit or 'pg_' (e.g. 'aml')");
        }
        return schema;
    }

    /**
     * @param validated a name accepted by {@link #validateSchema}
     * @return the name as a quoted SQL identifier
     */
    public static String quote(String validated) {
        return '"' + validated + '"';
    }
}
