package dev.aml.store.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The PostgreSQL advisory-lock keys of a store, in the two-{@code int} form
 * ({@code pg_try_advisory_lock(class, object)}): the class says what the lock guards, the object is a
 * stable hash of the schema name. Advisory locks are per database, so two schemas of one database
 * have different keys and the same schema in two databases never collides. A hash collision between
 * two schemas would only make their maintenance wait for each other, never corrupt anything.
 */
public final class AdvisoryKeys {

    /** Lock class of the maintenance lock ("AML1"). */
    public static final int MAINTENANCE_CLASS = 0x414D4C31;
    /** Lock class of schema creation and migration ("AML2"). */
    public static final int MIGRATION_CLASS = 0x414D4C32;

    private AdvisoryKeys() {
    }

    /**
     * @param schema the schema name
     * @return its lock object key (CRC-32 of the UTF-8 name), stable across JVMs and releases
     */
    public static int schemaKey(String schema) {
        CRC32 crc = new CRC32();
        crc.update(schema.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}
