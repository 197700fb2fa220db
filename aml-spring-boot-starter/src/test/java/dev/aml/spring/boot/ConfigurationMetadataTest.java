package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.EffectiveSettings;
import dev.aml.maintenance.settings.SettingKey;
import dev.aml.maintenance.settings.SettingsLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IDE completion for {@code aml.<section>.*} comes from one place: the settings model's keys. The
 * additional metadata file must list exactly {@link AmlSettings#keys()} in kebab-case with their
 * defaults; when the model changes this test fails and writes the file to copy into place.
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
    void theProcessorsMetadataHasTheTypedPropertiesAndTheSettingsKeys() throws IOException {
        String generated = Files.readString(GENERATED, StandardCharsets.UTF_8);
        assertThat(generated).contains("\"aml.memory-root\"", "\"aml.jdbc.enabled\"", "\"aml.maintenance.enabled\"",
                "\"aml.health.max-age\"", "\"aml.prune.pattern-max-age-days\"", "\"aml.backup.compression-level\"",
                "\"aml.cache.max-results\"", "\"aml.store.durability\"");
    }
}
