package dev.aml.maintenance.internal.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.maintenance.internal.io.AtomicFiles;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.EffectiveSettings;
import dev.aml.maintenance.settings.InvalidSettingsException;
import dev.aml.maintenance.settings.SettingKey;
import dev.aml.maintenance.settings.SettingSource;
import dev.aml.maintenance.settings.SettingValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves every key through the layers default &lt; file &lt; environment &lt; flag, then builds each
 * section's record with its canonical constructor. Every failure becomes one
 * {@link InvalidSettingsException} naming the origin of the offending value.
 */
public final class Loader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * Values given by a program or the CLI above (or instead of) the file.
     *
     * @param source the precedence
     * @param origin what to name in messages
     * @param values values by key path
     */
    public record Layer(SettingSource source, String origin, Map<String, ? extends @Nullable Object> values) {
    }

    private final @Nullable Path memoryRoot;
    private final @Nullable Path explicitFile;
    private final Map<String, String> env;
    private final AmlSettings base;
    private final List<Layer> layers;
    private final Schema schema = Schema.get();

    /**
     * @param memoryRoot the memory root, or null
     * @param explicitFile {@code --config FILE}, or null
     * @param env the environment
     * @param base the default layer
     * @param layers the program's layers
     */
    public Loader(@Nullable Path memoryRoot, @Nullable Path explicitFile, Map<String, String> env, AmlSettings base,
            List<Layer> layers) {
        this.memoryRoot = memoryRoot;
        this.explicitFile = explicitFile;
        this.env = env;
        this.base = base;
        this.layers = List.copyOf(layers);
    }

    /** @return the effective settings */
    public EffectiveSettings load() {
        Map<String, SettingValue> values = new LinkedHashMap<>();
        schema.values(base).forEach((path, v) -> values.put(path,
                new SettingValue(schema.key(path), v, SettingSource.DEFAULT, "default")));
        Path file = settingsFile();
        if (file != null) {
            readFile(file, values);
        }
        layers.stream().filter(l -> l.source() == SettingSource.FILE).forEach(l -> apply(l, values));
        readEnvironment(values);
        layers.stream().filter(l -> l.source() == SettingSource.ENV).forEach(l -> apply(l, values));
        layers.stream().filter(l -> l.source() == SettingSource.FLAG).forEach(l -> apply(l, values));
        return new EffectiveSettings(build(values), file, List.copyOf(values.values()));
    }

    private @Nullable Path settingsFile() {
        if (explicitFile != null) {
            requireFile(explicitFile, "given by --config");
            return explicitFile;
        }
        String named = env.get(AmlSettings.CONFIG_ENV);
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            requireFile(p, "named by " + AmlSettings.CONFIG_ENV);
            return p;
        }
        if (memoryRoot != null) {
            Path p = AmlSettings.file(memoryRoot);
            if (Files.exists(p)) {
                requireFile(p, "the memory root's settings file");
                return p;
            }
        }
        return null;
    }

    private static void requireFile(Path p, String what) {
        if (!Files.exists(p)) {
            throw new InvalidSettingsException(p.toString(), null, "settings file does not exist (" + what
                    + "); create it with 'aml <memory-path> config init' or fix the path");
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidSettingsException(p.toString(), null, "is not a regular file (" + what + ")");
        }
    }

    private void readFile(Path file, Map<String, SettingValue> values) {
        String origin = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSettingsException(origin, null, "cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidSettingsException(origin, null, "not valid JSON at line " + (at == null ? "?"
                    : at.getLineNr()) + ", column " + (at == null ? "?" : at.getColumnNr()) + ": "
                    + e.getOriginalMessage().replace('\n', ' ') + " (nothing was changed; fix the file, or check it"
                    + " with 'aml config validate " + file + "')");
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidSettingsException(origin, null, "is empty; write {} to use every default");
        }
        if (!root.isObject()) {
            throw new InvalidSettingsException(origin, null, "must be a JSON object with the sections "
                    + sectionNames() + ", was " + kind(root));
        }
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            Schema.Section s = schema.section(section.getKey());
            if (s == null) {
                throw new InvalidSettingsException(origin, section.getKey(), "unknown section; "
                        + suggest(section.getKey(), sectionNames(), "") + "sections are " + sectionNames()
                        + loomHint(file));
            }
            if (!section.getValue().isObject()) {
                throw new InvalidSettingsException(origin, s.name(), "must be an object of keys, was "
                        + kind(section.getValue()));
            }
            for (Map.Entry<String, JsonNode> e : section.getValue().properties()) {
                SettingKey k = knownKey(origin, s, e.getKey());
                values.put(k.path(), new SettingValue(k, fromJson(origin, k, e.getValue()), SettingSource.FILE,
                        origin));
            }
        }
    }

    private static String loomHint(Path file) {
        return file.getFileName() != null && file.getFileName().toString().equals("config.json")
                ? " (this looks like Loom's own config.json, which AML never reads: AML's file is "
                        + AmlSettings.FILE + " under the memory root)" : "";
    }

    private void readEnvironment(Map<String, SettingValue> values) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            for (Schema.Section s : schema.sections()) {
                String prefix = "AML_" + s.name().toUpperCase(Locale.ROOT) + "_";
                if (name.startsWith(prefix)) {
                    String origin = "environment variable " + name;
                    SettingKey k = knownKey(origin, s, name.substring(prefix.length()).toLowerCase(Locale.ROOT));
                    values.put(k.path(), new SettingValue(k, fromString(origin, k, e.getValue()), SettingSource.ENV,
                            origin));
                }
            }
        }
    }

    private void apply(Layer layer, Map<String, SettingValue> values) {
        for (Map.Entry<String, ? extends @Nullable Object> e : layer.values().entrySet()) {
            String path = e.getKey();
            SettingKey k = schema.key(path);
            if (k == null) {
                int dot = path.indexOf('.');
                Schema.Section s = dot < 0 ? null : schema.section(path.substring(0, dot));
                if (s == null) {
                    throw new InvalidSettingsException(layer.origin(), path, "unknown key; keys are section.key"
                            + " with the sections " + sectionNames());
                }
                k = knownKey(layer.origin(), s, path.substring(dot + 1));
            }
            Object raw = e.getValue();
            Object v = raw instanceof String str ? fromString(layer.origin(), k, str)
                    : fromJson(layer.origin(), k, JSON.valueToTree(raw));
            values.put(k.path(), new SettingValue(k, v, layer.source(), layer.origin()));
        }
    }

    private SettingKey knownKey(String origin, Schema.Section s, String name) {
        for (Schema.Binding b : s.bindings()) {
            for (SettingKey k : b.keys()) {
                if (k.name().equals(name)) {
                    return k;
                }
            }
        }
        List<String> names = s.bindings().stream().flatMap(b -> b.keys().stream()).map(SettingKey::name).toList();
        String elsewhere = schema.keys().stream().filter(k -> k.name().equals(name)).map(SettingKey::path)
                .findFirst().map(p -> "did you mean " + p + "? (it belongs in section '" + p.substring(0, p.indexOf('.'))
                        + "') ").orElse(null);
        String javaOnly = s.javaOnly().entrySet().stream()
                .filter(e -> Schema.snake(e.getKey().substring(e.getKey().indexOf('.') + 1)).equals(name))
                .map(e -> "cannot be set in a file: " + e.getValue() + "; ").findFirst().orElse("");
        throw new InvalidSettingsException(origin, s.name() + "." + name, "unknown key; " + javaOnly
                + (elsewhere != null ? elsewhere : suggest(name, names, "")) + "'" + s.name() + "' has "
                + String.join(", ", names));
    }

    private static String suggest(String name, List<String> candidates, String prefix) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name, c);
            if (c.startsWith(name) || name.startsWith(c)) {
                d = Math.min(d, Math.abs(c.length() - name.length()));
            }
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > Math.max(3, name.length() / 2)) {
            return "";
        }
        return "did you mean " + prefix + best + "? ";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private List<String> sectionNames() {
        return schema.sections().stream().map(Schema.Section::name).toList();
    }

    private static String kind(JsonNode n) {
        String text = n.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        String type = n.isTextual() ? "a string" : n.isNumber() ? "a number" : n.isBoolean() ? "a boolean"
                : n.isArray() ? "an array" : n.isObject() ? "an object" : "null";
        return text + " (" + type + ")";
    }

    private static String expected(SettingKey k) {
        return switch (k.type()) {
            case INTEGER -> "a whole number";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case PATH -> "a path (a string), or null for the default place";
            case LIST -> "an array of strings";
        };
    }

    private static @Nullable Object fromJson(String origin, SettingKey k, JsonNode n) {
        switch (k.type()) {
            case INTEGER -> {
                if (n.isNumber()) {
                    try {
                        return n.decimalValue().longValueExact();
                    } catch (ArithmeticException e) {
                        // not whole, or too large: reported below
                    }
                }
            }
            case NUMBER -> {
                if (n.isNumber() && Double.isFinite(n.doubleValue())) {
                    return n.doubleValue();
                }
            }
            case BOOLEAN -> {
                if (n.isBoolean()) {
                    return n.booleanValue();
                }
            }
            case STRING -> {
                if (n.isTextual()) {
                    return n.textValue();
                }
            }
            case PATH -> {
                if (n.isNull()) {
                    return null;
                }
                if (n.isTextual() && !n.textValue().isBlank()) {
                    return n.textValue();
                }
            }
            case LIST -> {
                if (n.isArray()) {
                    List<String> list = new ArrayList<>();
                    boolean ok = true;
                    for (JsonNode e : n) {
                        ok &= e.isTextual();
                        list.add(e.asText());
                    }
                    if (ok) {
                        return List.copyOf(list);
                    }
                }
            }
        }
        throw new InvalidSettingsException(origin, k.path(), "must be " + expected(k) + ", was " + kind(n));
    }

    private static @Nullable Object fromString(String origin, SettingKey k, String text) {
        String t = text.strip();
        try {
            return switch (k.type()) {
                case INTEGER -> Long.parseLong(t);
                case NUMBER -> {
                    double d = Double.parseDouble(t);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException(t);
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                        throw new NumberFormatException(t);
                    }
                    yield Boolean.parseBoolean(t);
                }
                case STRING -> t;
                case PATH -> t.isEmpty() ? null : t;
                case LIST -> java.util.Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            };
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(origin, k.path(), "must be " + expected(k) + ", was '" + text + "'");
        }
    }

    private AmlSettings build(Map<String, SettingValue> values) {
        List<Record> records = new ArrayList<>();
        for (Schema.Section s : schema.sections()) {
            Record defaults = s.of(base);
            java.lang.reflect.RecordComponent[] components = s.type().getRecordComponents();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = Schema.Binding.read(components[i], defaults);
            }
            for (Schema.Binding b : s.bindings()) {
                List<@Nullable Object> keyValues = new ArrayList<>();
                b.keys().forEach(k -> keyValues.add(values.get(k.path()).value()));
                SettingValue first = values.get(b.keys().get(0).path());
                Path baseDir = first.source() == SettingSource.FLAG ? null : memoryRoot;
                Object component;
                try {
                    component = b.toComponent(keyValues, baseDir);
                } catch (Schema.KeyProblem p) {
                    SettingValue at = values.get(b.keys().get(p.keyIndex()).path());
                    if (at.source() == SettingSource.DEFAULT) {
                        at = b.keys().stream().map(k -> values.get(k.path()))
                                .filter(v -> v.source() != SettingSource.DEFAULT).findFirst().orElse(at);
                    }
                    throw new InvalidSettingsException(at.origin(), at.key().path(), p.getMessage());
                }
                args[indexOf(components, b.component().getName())] = component;
            }
            try {
                records.add(s.build(args));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw translate(s, e, values);
            }
        }
        return new AmlSettings((dev.aml.maintenance.PruneConfig) records.get(0),
                (dev.aml.maintenance.BackupConfig) records.get(1), (dev.aml.maintenance.MonitorConfig) records.get(2),
                (dev.aml.maintenance.settings.StoreSettings) records.get(3),
                (dev.aml.maintenance.settings.CacheSettings) records.get(4));
    }

    private static int indexOf(java.lang.reflect.RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException(name);
    }

    /**
     * Turns a record's complaint ({@code "compressionLevel must be 1..9, was 12"}) into the settings
     * file's words ({@code "backup.compression_level must be 1..9, was 12"}), naming the origin of the
     * first non-default value it mentions.
     */
    private InvalidSettingsException translate(Schema.Section s, RuntimeException e, Map<String, SettingValue> values) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        List<Schema.Binding> mentioned = new ArrayList<>();
        List<Schema.Binding> byLength = new ArrayList<>(s.bindings());
        byLength.sort(Comparator.comparingInt((Schema.Binding b) -> b.component().getName().length()).reversed());
        TreeMap<Integer, Schema.Binding> byPosition = new TreeMap<>();
        String text = message;
        for (Schema.Binding b : byLength) {
            Matcher m = Pattern.compile("\\b" + Pattern.quote(b.component().getName()) + "\\b").matcher(message);
            if (m.find()) {
                byPosition.put(m.start(), b);
            }
            String replacement = String.join("/", b.keys().stream().map(SettingKey::path).toList());
            text = text.replaceAll("\\b" + Pattern.quote(b.component().getName()) + "\\b",
                    Matcher.quoteReplacement(replacement));
        }
        mentioned.addAll(byPosition.values());
        SettingValue at = null;
        for (Schema.Binding b : mentioned) {
            for (SettingKey k : b.keys()) {
                SettingValue v = values.get(k.path());
                if (at == null && v.source() != SettingSource.DEFAULT) {
                    at = v;
                }
            }
        }
        if (at == null && !mentioned.isEmpty()) {
            at = values.get(mentioned.get(0).keys().get(0).path());
        }
        if (at == null) {
            return new InvalidSettingsException("settings", s.name(), text);
        }
        String prefix = at.key().path() + " ";
        String problem = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
        return new InvalidSettingsException(at.origin(), at.key().path(), problem);
    }

    /**
     * @param file where to write
     * @param text the content
     * @throws UncheckedIOException if it exists or cannot be written
     */
    public static void writeNew(Path file, String text) {
        try {
            AtomicFiles.writeNew(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
