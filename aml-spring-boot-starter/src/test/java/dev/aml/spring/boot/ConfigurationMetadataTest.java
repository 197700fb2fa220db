package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.EffectiveSettings;
import dev.aml.maintenance.settings.SettingKey;
import dev.aml.maintenance.settings.SettingsLoader;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IDE completion for {@code aml.<section>.*} comes from one place: the settings model's keys. The
 * additional metadata file must list exactly {@link AmlSettings#keys()} in kebab-case with their
 * defaults; when the model changes this test fails and writes the file to copy into place. The
 * generated metadata (the processor's, merged with that file) must describe every property of
 * {@link AmlProperties} and every settings key, in plain text (IDEs show no Javadoc markup).
 */
class ConfigurationMetadataTest {

    private static final Path ADDITIONAL =
            Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");
    private static final Path GENERATED = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    static String expected() throws IOException {
        EffectiveSettings defaults = SettingsLoader.create().load();
        List<Map<String, Object>> properties = new ArrayList<>();
        for (SettingKey k : AmlSettings.keys()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", "aml." + k.section() + "." + k.kebabName());
            p.put("type", switch (k.type()) {
                case INTEGER -> "java.lang.Long";
                case NUMBER -> "java.lang.Double";
                case BOOLEAN -> "java.lang.Boolean";
                case STRING, PATH, LIST -> "java.lang.String";
            });
            p.put("description", "Settings file key " + k.path() + " (" + k.field() + ")"
                    + (k.type() == SettingKey.Type.LIST ? ", comma-separated" : "") + ".");
            Object value = defaults.value(k.path()).value();
            if (value instanceof List<?> list) {
                value = String.join(",", list.stream().map(Object::toString).toList());
            }
            if (value != null) {
                p.put("defaultValue", value);
            }
            properties.add(p);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("properties", properties)) + "\n";
    }

    @Test
    void theAdditionalMetadataListsExactlyTheSettingsModelsKeys() throws IOException {
        String expected = expected();
        String actual = Files.exists(ADDITIONAL) ? Files.readString(ADDITIONAL, StandardCharsets.UTF_8) : "";
        if (!actual.equals(expected)) {
            Path out = Path.of("target/additional-spring-configuration-metadata.json");
            Files.writeString(out, expected, StandardCharsets.UTF_8);
            assertThat(actual).as("the settings model changed: copy %s to %s", out, ADDITIONAL).isEqualTo(expected);
        }
    }

    @Test
    void everyPropertyAndEverySettingsKeyHasGeneratedMetadataWithADescription() throws IOException {
        Map<String, String> described = new LinkedHashMap<>();
        for (JsonNode p : new ObjectMapper().readTree(GENERATED.toFile()).get("properties")) {
            described.put(p.get("name").asText(), p.path("description").asText(""));
        }
        List<String> expected = new ArrayList<>(properties("aml", AmlProperties.class));
        AmlSettings.keys().forEach(k -> expected.add("aml." + k.section() + "." + k.kebabName()));
        assertThat(expected).contains("aml.location", "aml.memory-root", "aml.jdbc.enabled", "aml.jdbc.user",
                "aml.jdbc.password", "aml.jdbc.schema", "aml.maintenance.enabled", "aml.health.max-age", "aml.prune",
                "aml.prune.pattern-max-age-days", "aml.store.durability", "aml.cache.max-results");
        assertThat(described.keySet()).as("metadata for every property and key, and for nothing else")
                .containsExactlyInAnyOrderElementsOf(expected);
        described.forEach((name, description) -> assertThat(description).as("description of %s", name)
                .isNotBlank().doesNotContain("{@").endsWith("."));
    }

    /**
     * @param prefix the properties' prefix
     * @param type a properties class
     * @return the names of its properties in kebab-case, nested classes of {@link AmlProperties} expanded
     */
    private static List<String> properties(String prefix, Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            String n = m.getName();
            int skip = n.startsWith("get") ? 3 : n.startsWith("is") && m.getReturnType() == boolean.class ? 2 : 0;
            if (skip == 0 || m.getParameterCount() != 0 || !Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            String name = prefix + "." + n.substring(skip, skip + 1).toLowerCase(Locale.ROOT)
                    + n.substring(skip + 1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            if (m.getReturnType().getEnclosingClass() == AmlProperties.class) {
                names.addAll(properties(name, m.getReturnType()));
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
