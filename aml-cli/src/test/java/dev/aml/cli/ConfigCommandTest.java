package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.SettingKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOOM_CONFIG = "{\n  \"agentOverrides\": {\"coder\": {\"enabled\": true}},\n  \"version\": 2\n}\n";

    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void tree() throws IOException {
        root = dir.resolve(".loom/memory");
        Files.createDirectories(root.resolve("coder"));
        Files.writeString(root.resolve("coder/patterns.json"), "[" + BackupCommandTest.pattern("p1", "coder") + "]");
        Files.writeString(root.resolve("config.json"), LOOM_CONFIG); // Loom's TypeScript config: not ours
    }

    CliRun aml(Map<String, String> env, String... args) {
        return CliRun.at(root, env, args);
    }

    CliRun aml(String... args) {
        return aml(Map.of(), args);
    }

    static SortedMap<String, String> snapshot(Path top) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : s.toList()) {
                out.put(top.relativize(p).toString(), Files.isRegularFile(p)
                        ? java.util.HexFormat.of().formatHex(Files.readAllBytes(p)) : "dir");
            }
        }
        return out;
    }

    @Test
    void initWritesTheDefaultsOnceAndNeverTouchesLoomsConfigJson() throws IOException {
        CliRun init = aml("config", "init");
        assertThat(init.code()).as(init.err()).isZero();
        Path file = root.resolve("config/aml.json");
        assertThat(init.out()).contains("Wrote the defaults to " + file);
        String written = Files.readString(file);
        assertThat(written).isEqualTo(AmlSettings.defaults().toJson());
        CliRun again = aml("config", "init");
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains(file + " already exists").contains("never overwrites");
        assertThat(Files.readString(file)).isEqualTo(written);
        assertThat(Files.readString(root.resolve("config.json"))).isEqualTo(LOOM_CONFIG);
        try (Stream<Path> s = Files.list(root.resolve("config"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("aml.json");
        }
    }

    @Test
    void showNamesTheSourceOfEveryValue() throws IOException {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/aml.json"), "{\"backup\": {\"compression_level\": 6, \"keep_daily\": 7}}");
        CliRun show = aml(Map.of("AML_BACKUP_KEEP_DAILY", "14"), "config", "show", "--json", "--set",
                "prune.min_success_rate=0.3");
        assertThat(show.code()).as(show.err()).isZero();
        JsonNode doc = JSON.readTree(show.out());
        assertThat(doc.path("file").asText()).isEqualTo(root.resolve("config/aml.json").toString());
        assertThat(doc.path("settings").path("backup").path("compression_level").asInt()).isEqualTo(6);
        assertThat(doc.path("settings").path("backup").path("keep_daily").asInt()).isEqualTo(14);
        Map<String, String> sources = new TreeMap<>();
        doc.path("values").forEach(v -> sources.put(v.path("key").asText(), v.path("source").asText()));
        assertThat(sources).hasSize(AmlSettings.keys().size())
                .containsEntry("backup.compression_level", "file")
                .containsEntry("backup.keep_daily", "env")
                .containsEntry("prune.min_success_rate", "flag")
                .containsEntry("prune.pattern_max_age_days", "default");

        CliRun text = aml("config", "show");
        assertThat(text.code()).isZero();
        for (SettingKey k : AmlSettings.keys()) {
            assertThat(text.out()).contains(k.path());
        }
        assertThat(text.out()).containsPattern("backup\\.compression_level +6 +file +" + java.util.regex.Pattern
                .quote(root.resolve("config/aml.json").toString()));
        assertThat(text.out()).containsPattern("prune\\.pattern_max_age_days +90 +default");
    }

    @Test
    void validateChecksAFileOnItsOwn() throws IOException {
        Path good = dir.resolve("good.json");
        Files.writeString(good, QuickReferenceSnippetsTest.FAST_BACKUPS);
        CliRun ok = aml("config", "validate", good.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Valid: " + good).contains("3 of " + AmlSettings.keys().size() + " keys set");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"prune\": {\"pattern_max_age\": 60}}");
        CliRun refused = aml("config", "validate", bad.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(refused.err().strip()).isEqualTo("aml: " + bad + ": prune.pattern_max_age: unknown key; did you mean"
                + " pattern_max_age_days? 'prune' has " + String.join(", ", AmlSettings.keys().stream()
                .filter(k -> k.section().equals("prune")).map(SettingKey::name).toList()));

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"backup\": {\"compression_level\": 6\n}");
        CliRun notJson = aml("config", "validate", broken.toString());
        assertThat(notJson.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(notJson.err()).contains(broken + ": not valid JSON at line 3, column");
        assertThat(notJson.err().strip().lines()).hasSize(1);
    }

    @Test
    void badConfigurationIsRefusedWithExit78BeforeAnyCommandTouchesTheTree() throws IOException {
        Files.createDirectories(root.resolve("config"));
        Path file = root.resolve("config/aml.json");
        Files.writeString(file, "{\"backup\": {\"compression_level\": 12}}");
        SortedMap<String, String> before = snapshot(dir);
        List<List<String>> commands = List.of(List.of("prune"), List.of("prune", "--dry-run"),
                List.of("optimize", "all"), List.of("backup", "create"), List.of("backup", "auto"),
                List.of("backup", "list"), List.of("backup", "rotate"), List.of("monitor", "health"),
                List.of("monitor", "report"), List.of("auto"), List.of("migrate", "detect"),
                List.of("migrate", "migrate"), List.of("config", "show"), List.of("config", "validate"));
        for (List<String> c : commands) {
            CliRun r = aml(c.toArray(String[]::new));
            assertThat(r.code()).as(c + ": " + r.err()).isEqualTo(ExitCodes.CONFIG);
            assertThat(r.err().strip()).as(c.toString())
                    .isEqualTo("aml: " + file + ": backup.compression_level: must be 1..9, was 12");
        }
        assertThat(snapshot(dir)).isEqualTo(before);
        assertThat(dir.resolve(".loom/memory-backup")).doesNotExist();
    }

    @Test
    void environmentAndFlagsAreRefusedTheSameWayNamingTheirOrigin() {
        CliRun env = aml(Map.of("AML_PRUNE_MIN_SUCCESS_RATE", "high"), "prune", "--dry-run");
        assertThat(env.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(env.err()).contains("environment variable AML_PRUNE_MIN_SUCCESS_RATE: prune.min_success_rate: must"
                + " be a number, was 'high'");
        CliRun flag = aml("monitor", "health", "--set", "monitor.cache_hit_rate_warning=0.4");
        assertThat(flag.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(flag.err()).contains("--set: monitor.cache_hit_rate_warning: critical level 0.5 must be at or below"
                + " the warning level 0.4");
        CliRun missing = aml("backup", "list", "--config", dir.resolve("nope.json").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(missing.err()).contains("nope.json: settings file does not exist");
    }

    @Test
    void flagsBeatTheFileForTheCommandsOwnOptions() throws IOException {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/aml.json"), "{\"prune\": {\"strategies\": [\"space_based\"]},"
                + " \"backup\": {\"codec\": \"lz4\"}}");
        CliRun fromFile = aml("prune", "--dry-run", "--json");
        assertThat(JSON.readTree(fromFile.out()).path("strategies").toString()).isEqualTo("[\"space_based\"]");
        CliRun fromFlag = aml("prune", "--dry-run", "--json", "--strategies", "time_based");
        assertThat(JSON.readTree(fromFlag.out()).path("strategies").toString()).isEqualTo("[\"time_based\"]");
        CliRun lz4 = aml("backup", "create", "--json");
        assertThat(JSON.readTree(lz4.out()).path("codec").asText()).isEqualTo("lz4");
        CliRun gzip = aml("backup", "create", "--json", "--codec", "gzip");
        assertThat(JSON.readTree(gzip.out()).path("codec").asText()).isEqualTo("gzip");
    }

    @Test
    void aJdbcUrlGetsItsSettingsFromConfigWithoutConnecting() throws IOException {
        Path file = dir.resolve("fleet.json");
        Files.writeString(file, "{\"backup\": {\"backup_root\": \"/srv/aml-backups\", \"keep_weekly\": 8}}");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
                "jdbc:postgresql://127.0.0.1:1/aml", "config", "show", "--json", "--config", file.toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.path("settings").path("backup").path("backup_root").asText()).isEqualTo("/srv/aml-backups");
        assertThat(doc.path("settings").path("backup").path("keep_weekly").asInt()).isEqualTo(8);
    }

    @Test
    void rotateDryRunListsEveryBackupWithTheRuleThatKeepsIt() throws IOException {
        String first = createdId(aml("backup", "create"));
        String second = createdId(aml("backup", "create", "--incremental"));
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/aml.json"), "{\"backup\": {\"retention_days\": 0, \"keep_last\": 1}}");
        CliRun r = aml("backup", "rotate", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Would delete 0 old backups");
        assertThat(r.out()).containsPattern(second + " +keep +keep_last \\(1 of 1\\); newest backup");
        assertThat(r.out()).containsPattern(first + " +keep +newest full backup; newest verified full backup; needed by "
                + second);
        CliRun json = aml("backup", "rotate", "--dry-run", "--json");
        JsonNode decisions = JSON.readTree(json.out()).path("decisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).path("backup_id").asText()).isEqualTo(second);
        assertThat(aml("backup", "list").out()).contains(first).contains(second);
    }

    static String createdId(CliRun r) {
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().lines().filter(l -> l.startsWith("Backup created: ")).findFirst().orElseThrow()
                .substring("Backup created: ".length());
    }
}
