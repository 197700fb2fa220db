package dev.aml.maintenance.internal.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.AgentId;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.MonitorConfig;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneStrategy;
import dev.aml.maintenance.Threshold;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.CacheSettings;
import dev.aml.maintenance.settings.SettingKey;
import dev.aml.maintenance.settings.StoreSettings;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The keys of {@code config/aml.json}, derived from the settings records' components.
 *
 * <h2>Why derived</h2>
 * A hand-written list of keys drifts from the records: a field added to {@code MonitorConfig} would
 * silently have no key. Here every component of every section's record gets its key by one rule, the
 * camelCase name in snake_case ({@code patternMaxAgeDays} → {@code pattern_max_age_days}), with three
 * kinds of exceptions kept in tables below: names where the reference toolkit spells it differently
 * ({@link #NAMES}), the unit a {@link Duration} is written in ({@link #DURATION_UNITS}, which becomes
 * the key's suffix), and the few components a file cannot hold ({@link #JAVA_ONLY}). A
 * {@link Threshold} gets two keys, {@code <name>_warning[_<unit>]} and {@code <name>_critical[_<unit>]},
 * the reference's {@code query_time_warning_ms}. A component that fits none of this is listed by
 * {@link Section#unmapped()}, and {@code SettingsSchemaTest} fails naming it.
 *
 * <h2>Values</h2>
 * Keys hold JSON values ({@code Long}, {@code Double}, {@code Boolean}, {@code String},
 * {@code List<String>}, null for a default path). {@link Binding#toComponent} turns a field's key
 * values into the component value, {@link Binding#toKeys} the other way; the record is then built by
 * its canonical constructor, whose validation is the only validation there is.
 */
public final class Schema {

    /** Keys whose name is not the snake_case of the component (the reference toolkit's spelling). */
    static final Map<String, String> NAMES = Map.of(
            "PruneConfig.agentMemoryLimitBytes", "agent_memory_limit",
            "PruneConfig.globalMemoryLimitBytes", "global_memory_limit");

    /** The unit each {@link Duration} component is written in; the unit becomes the key's suffix. */
    static final Map<String, ChronoUnit> DURATION_UNITS = Map.of(
            "BackupConfig.fullBackupMaxAge", ChronoUnit.DAYS,
            "MonitorConfig.indexMaxAge", ChronoUnit.HOURS,
            "MonitorConfig.backupMaxAge", ChronoUnit.HOURS,
            "MonitorConfig.alertRetention", ChronoUnit.DAYS);

    /** Components no file can set, and why. */
    static final Map<String, String> JAVA_ONLY = Map.of(
            "MonitorConfig.metricsSink", "a Java object (Micrometer and the like): MonitorConfig.builder().metricsSink(...)");

    private static final Map<String, String> THRESHOLD_UNITS = Map.of(
            "mb", "mb", "days", "days", "millis", "ms", "ms", "ms", "hours", "hours", "bytes", "bytes");

    private static final Schema INSTANCE = new Schema();

    private final List<Section> sections;
    private final List<SettingKey> keys;
    private final Map<String, SettingKey> byPath;

    private Schema() {
        sections = List.of(
                section("prune", PruneConfig.class, AmlSettings::prune),
                section("backup", BackupConfig.class, AmlSettings::backup),
                section("monitor", MonitorConfig.class, AmlSettings::monitor),
                section("store", StoreSettings.class, AmlSettings::store),
                section("cache", CacheSettings.class, AmlSettings::cache));
        List<SettingKey> all = new ArrayList<>();
        Map<String, SettingKey> paths = new LinkedHashMap<>();
        for (Section s : sections) {
            for (Binding b : s.bindings()) {
                for (SettingKey k : b.keys()) {
                    if (paths.put(k.path(), k) != null) {
                        throw new IllegalStateException("two components map to the key " + k.path());
                    }
                    all.add(k);
                }
            }
        }
        keys = List.copyOf(all);
        byPath = Map.copyOf(paths);
    }

    /** @return the schema */
    public static Schema get() {
        return INSTANCE;
    }

    /** @return the sections, in file order */
    public List<Section> sections() {
        return sections;
    }

    /** @return every key, in file order */
    public List<SettingKey> keys() {
        return keys;
    }

    /**
     * @param path a key path
     * @return the key, or null
     */
    public @Nullable SettingKey key(String path) {
        return byPath.get(path);
    }

    /**
     * @param name a section name
     * @return the section, or null
     */
    public @Nullable Section section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * @param settings settings
     * @return the key values of every key, by path, in file order
     */
    public Map<String, @Nullable Object> values(AmlSettings settings) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (Section s : sections) {
            Record r = s.of(settings);
            for (Binding b : s.bindings()) {
                List<@Nullable Object> v = b.toKeys(b.read(r));
                for (int i = 0; i < b.keys().size(); i++) {
                    out.put(b.keys().get(i).path(), v.get(i));
                }
            }
        }
        return out;
    }

    /**
     * @param settings settings
     * @return them as a settings file, pretty-printed with two-space indentation
     */
    public String toJson(AmlSettings settings) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Map<String, @Nullable Object> values = values(settings);
        for (SettingKey k : keys) {
            ObjectNode section = root.has(k.section()) ? (ObjectNode) root.get(k.section()) : root.putObject(k.section());
            put(section, k.name(), values.get(k.path()));
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void put(ObjectNode node, String name, @Nullable Object value) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof Long l) {
            node.put(name, l);
        } else if (value instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                node.put(name, (long) (double) d);
            } else {
                node.put(name, d);
            }
        } else if (value instanceof Boolean b) {
            node.put(name, b);
        } else if (value instanceof List<?> list) {
            ArrayNode a = node.putArray(name);
            list.forEach(e -> a.add(String.valueOf(e)));
        } else {
            node.put(name, value.toString());
        }
    }

    private static Section section(String name, Class<? extends Record> type, Function<AmlSettings, Record> get) {
        Record defaults = get.apply(AmlSettings.defaults());
        List<Binding> bindings = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        Map<String, String> javaOnly = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String field = type.getSimpleName() + "." + c.getName();
            if (JAVA_ONLY.containsKey(field)) {
                javaOnly.put(field, JAVA_ONLY.get(field));
                continue;
            }
            Binding b = bind(name, field, c, defaults);
            if (b == null) {
                unmapped.add(field + " (" + c.getGenericType().getTypeName() + ")");
            } else {
                bindings.add(b);
            }
        }
        Constructor<? extends Record> ctor;
        try {
            ctor = type.getDeclaredConstructor(Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type + " has no canonical constructor", e);
        }
        return new Section(name, type, get, List.copyOf(bindings), List.copyOf(unmapped), Map.copyOf(javaOnly), ctor);
    }

    private static @Nullable Binding bind(String section, String field, RecordComponent c, Record defaults) {
        String snake = NAMES.getOrDefault(field, snake(c.getName()));
        Class<?> t = c.getType();
        Kind kind;
        if (t == int.class || t == Integer.class) {
            kind = Kind.INT;
        } else if (t == long.class || t == Long.class) {
            kind = Kind.LONG;
        } else if (t == double.class || t == Double.class) {
            kind = Kind.DOUBLE;
        } else if (t == boolean.class || t == Boolean.class) {
            kind = Kind.BOOLEAN;
        } else if (t == String.class) {
            kind = Kind.STRING;
        } else if (t == Path.class) {
            kind = Kind.PATH;
        } else if (t.isEnum()) {
            kind = Kind.ENUM;
        } else if (t == Duration.class) {
            ChronoUnit unit = DURATION_UNITS.get(field);
            if (unit == null) {
                return null;
            }
            return new Binding(c, Kind.DURATION, List.of(new SettingKey(section, snake + "_" + suffix(unit),
                    SettingKey.Type.NUMBER, field)), unit, false);
        } else if (t == Threshold.class) {
            boolean higherIsWorse = ((Threshold) Binding.read(c, defaults)).higherIsWorse();
            List<String> words = new ArrayList<>(List.of(snake.split("_")));
            String unit = THRESHOLD_UNITS.get(words.get(words.size() - 1));
            if (unit != null) {
                words.remove(words.size() - 1);
            }
            String baseName = String.join("_", words);
            String tail = unit == null ? "" : "_" + unit;
            return new Binding(c, Kind.THRESHOLD, List.of(
                    new SettingKey(section, baseName + "_warning" + tail, SettingKey.Type.NUMBER, field),
                    new SettingKey(section, baseName + "_critical" + tail, SettingKey.Type.NUMBER, field)),
                    null, higherIsWorse);
        } else if (t == List.class && elementType(c) == PruneStrategy.class) {
            kind = Kind.STRATEGIES;
        } else if (t == Set.class && elementType(c) == AgentId.class) {
            kind = Kind.AGENTS;
        } else {
            return null;
        }
        return new Binding(c, kind, List.of(new SettingKey(section, snake, kind.type, field)), null, false);
    }

    private static @Nullable Type elementType(RecordComponent c) {
        if (c.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            return p.getActualTypeArguments()[0];
        }
        return null;
    }

    private static String suffix(ChronoUnit unit) {
        return switch (unit) {
            case MILLIS -> "ms";
            default -> unit.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * @param camel a camelCase name
     * @return it in snake_case
     */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** How a component is written. */
    enum Kind {
        INT(SettingKey.Type.INTEGER), LONG(SettingKey.Type.INTEGER), DOUBLE(SettingKey.Type.NUMBER),
        BOOLEAN(SettingKey.Type.BOOLEAN), STRING(SettingKey.Type.STRING), PATH(SettingKey.Type.PATH),
        ENUM(SettingKey.Type.STRING), DURATION(SettingKey.Type.NUMBER), THRESHOLD(SettingKey.Type.NUMBER),
        STRATEGIES(SettingKey.Type.LIST), AGENTS(SettingKey.Type.LIST);

        final SettingKey.Type type;

        Kind(SettingKey.Type type) {
            this.type = type;
        }
    }

    /**
     * One section of the file.
     *
     * @param name the section name
     * @param type its record
     * @param get reads the record from settings
     * @param bindings how each component maps to keys
     * @param unmapped components that have no key and are not {@link #JAVA_ONLY} (must be empty)
     * @param javaOnly components a file cannot set, and why
     * @param constructor the canonical constructor
     */
    public record Section(String name, Class<? extends Record> type, Function<AmlSettings, Record> get,
            List<Binding> bindings, List<String> unmapped, Map<String, String> javaOnly,
            Constructor<? extends Record> constructor) {

        /**
         * @param settings settings
         * @return this section's record
         */
        public Record of(AmlSettings settings) {
            return get.apply(settings);
        }

        /**
         * @param args the components, in order
         * @return the record
         * @throws IllegalArgumentException (or another runtime exception) from its compact constructor
         */
        public Record build(Object[] args) {
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
            }
        }
    }

    /** The keys of one record component and how their values become the component's value. */
    public static final class Binding {
        private final RecordComponent component;
        private final Kind kind;
        private final List<SettingKey> keys;
        private final @Nullable ChronoUnit unit;
        private final boolean higherIsWorse;

        Binding(RecordComponent component, Kind kind, List<SettingKey> keys, @Nullable ChronoUnit unit,
                boolean higherIsWorse) {
            this.component = component;
            this.kind = kind;
            this.keys = keys;
            this.unit = unit;
            this.higherIsWorse = higherIsWorse;
        }

        /** @return the component */
        public RecordComponent component() {
            return component;
        }

        /** @return its keys (two for a threshold) */
        public List<SettingKey> keys() {
            return keys;
        }

        /**
         * @param record a record of this section
         * @return the component's value
         */
        public Object read(Record record) {
            return read(component, record);
        }

        static Object read(RecordComponent c, Record record) {
            try {
                return c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }

        /**
         * @param value a component value
         * @return its key values
         */
        public List<@Nullable Object> toKeys(@Nullable Object value) {
            List<@Nullable Object> out = new ArrayList<>();
            switch (kind) {
                case INT -> out.add(((Integer) value).longValue());
                case LONG -> out.add((Long) value);
                case DOUBLE -> out.add((Double) value);
                case BOOLEAN -> out.add((Boolean) value);
                case STRING -> out.add((String) value);
                case PATH -> out.add(value == null ? null : value.toString());
                case ENUM -> out.add(((Enum<?>) value).name().toLowerCase(Locale.ROOT));
                case DURATION -> out.add(((Duration) value).toNanos() / (double) unit.getDuration().toNanos());
                case THRESHOLD -> {
                    Threshold t = (Threshold) value;
                    out.add(t.warning());
                    out.add(t.critical());
                }
                case STRATEGIES -> out.add(((List<?>) value).stream().map(s -> ((PruneStrategy) s).name()).toList());
                case AGENTS -> out.add(((Set<?>) value).stream().map(a -> ((AgentId) a).name()).sorted().toList());
            }
            return out;
        }

        /**
         * @param values the key values, one per key, already of the key's JSON type
         * @param baseDir what relative paths are resolved against, or null to keep them as given
         * @return the component value
         * @throws KeyProblem naming the key (by index) whose value cannot become the component
         */
        public @Nullable Object toComponent(List<@Nullable Object> values, @Nullable Path baseDir) {
            Object v = values.get(0);
            switch (kind) {
                case INT -> {
                    long l = (Long) v;
                    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                        throw new KeyProblem(0, "must be a whole number in [" + Integer.MIN_VALUE + ", "
                                + Integer.MAX_VALUE + "], was " + l);
                    }
                    return (int) l;
                }
                case LONG, DOUBLE, BOOLEAN, STRING -> {
                    return v;
                }
                case PATH -> {
                    if (v == null) {
                        return null;
                    }
                    Path p = Path.of((String) v);
                    return baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p).normalize();
                }
                case ENUM -> {
                    Class<?> t = component.getType();
                    for (Object constant : t.getEnumConstants()) {
                        if (((Enum<?>) constant).name().equalsIgnoreCase((String) v)) {
                            return constant;
                        }
                    }
                    throw new KeyProblem(0, "must be one of " + Arrays.stream(t.getEnumConstants())
                            .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList() + ", was '" + v + "'");
                }
                case DURATION -> {
                    double d = (Double) v;
                    double nanos = d * unit.getDuration().toNanos();
                    if (!Double.isFinite(nanos) || Math.abs(nanos) > Long.MAX_VALUE / 2.0) {
                        throw new KeyProblem(0, "must be a number of " + unit.name().toLowerCase(Locale.ROOT)
                                + " below " + (long) (Long.MAX_VALUE / 2.0 / unit.getDuration().toNanos()) + ", was " + d);
                    }
                    return Duration.ofNanos(Math.round(nanos));
                }
                case THRESHOLD -> {
                    try {
                        return new Threshold((Double) values.get(0), (Double) values.get(1), higherIsWorse);
                    } catch (IllegalArgumentException e) {
                        throw new KeyProblem(1, e.getMessage() + " (" + keys.get(0).path() + " is the warning level, "
                                + keys.get(1).path() + " the critical level)");
                    }
                }
                case STRATEGIES -> {
                    List<PruneStrategy> list = new ArrayList<>();
                    for (Object name : (List<?>) v) {
                        try {
                            list.add(PruneStrategy.named((String) name));
                        } catch (IllegalArgumentException e) {
                            throw new KeyProblem(0, e.getMessage());
                        }
                    }
                    return list;
                }
                case AGENTS -> {
                    Set<AgentId> set = new LinkedHashSet<>();
                    for (Object name : (List<?>) v) {
                        try {
                            set.add(AgentId.of((String) name));
                        } catch (RuntimeException e) {
                            throw new KeyProblem(0, e.getMessage());
                        }
                    }
                    return set;
                }
                default -> throw new IllegalStateException(kind.name());
            }
        }
    }

    /** A value that cannot become its component; the loader adds the key's origin. */
    public static final class KeyProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int keyIndex;

        KeyProblem(int keyIndex, String message) {
            super(message, null, false, false);
            this.keyIndex = keyIndex;
        }

        /** @return which of the binding's keys is at fault */
        public int keyIndex() {
            return keyIndex;
        }
    }
}
