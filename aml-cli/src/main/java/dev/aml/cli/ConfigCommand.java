package dev.aml.cli;

import dev.aml.core.InvalidInputException;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.EffectiveSettings;
import dev.aml.maintenance.settings.SettingValue;
import dev.aml.maintenance.settings.SettingsLoader;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aml <path> config show|validate|init}: the settings file {@code <path>/config/aml.json}
 * (not Loom's {@code <path>/config.json}, which this command never reads or writes).
 */
@Command(name = "config", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Validate.class, ConfigCommand.Init.class},
        description = {"Show, check or create the settings file <memory-path>/config/aml.json.",
            "Precedence: flag (--set KEY=VALUE, a command's options) > environment (AML_<SECTION>_<KEY>)",
            "> file (--config FILE, else AML_CONFIG, else config/aml.json) > default.",
            "Exit code 78 when the configuration is invalid."})
final class ConfigCommand {

    private ConfigCommand() {
    }

    static String text(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) (double) d);
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }

    static @Nullable Object jsonValue(@Nullable Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return (long) (double) d;
        }
        return value;
    }

    /** {@code show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the settings in force and where each value comes from (default, file, env, flag).")
    static final class Show extends LeafCommand {
        @Override
        public Integer call() {
            EffectiveSettings s = settings();
            if (json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", s.file() == null ? null : s.file().toString());
                Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
                List<Map<String, Object>> values = new java.util.ArrayList<>();
                for (SettingValue v : s.values()) {
                    sections.computeIfAbsent(v.key().section(), k -> new LinkedHashMap<>())
                            .put(v.key().name(), jsonValue(v.value()));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", v.key().path());
                    m.put("value", jsonValue(v.value()));
                    m.put("source", v.source().label());
                    m.put("origin", v.origin());
                    values.add(m);
                }
                doc.put("settings", sections);
                doc.put("values", values);
                output().json(doc);
                return ExitCodes.OK;
            }
            Output o = output();
            o.line("Settings file: " + (s.file() == null ? "none (" + AmlSettings.FILE + " not found; every value"
                    + " not set by the environment or a flag is a default)" : s.file()));
            o.line("");
            Output.Table t = o.table("KEY", "VALUE", "SOURCE", "FROM");
            for (SettingValue v : s.values()) {
                t.row(v.key().path(), text(v.value()), v.source().label(),
                        v.origin().equals("default") ? "" : v.origin());
            }
            t.print();
            return ExitCodes.OK;
        }
    }

    /** {@code validate}. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a settings file (default: the one in force, with the environment and flags).",
                "Exit code 0 when valid, 78 with the file, key and what is allowed when not."})
    static final class Validate extends LeafCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to check on its own.")
        @Nullable Path file;

        @Override
        public Integer call() {
            EffectiveSettings s = file != null ? SettingsLoader.validate(file) : settings();
            long set = s.values().stream().filter(v -> v.source() != dev.aml.maintenance.settings.SettingSource.DEFAULT)
                    .count();
            if (json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("valid", true);
                doc.put("file", s.file() == null ? null : s.file().toString());
                doc.put("keys_set", set);
                output().json(doc);
            } else {
                output().line("Valid: " + (s.file() == null ? "no settings file" : s.file()) + " (" + set
                        + " of " + s.values().size() + " keys set, the others default)");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code init}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write every default to <memory-path>/config/aml.json (or --config FILE), atomically.",
                "Never overwrites an existing file."})
    static final class Init extends LeafCommand {
        @Option(names = "--print", description = "Only print the defaults; write nothing.")
        boolean print;

        @Override
        public Integer call() {
            String text = AmlSettings.defaults().toJson();
            if (print) {
                out().print(text);
                out().flush();
                return ExitCodes.OK;
            }
            Path target = target();
            if (Files.exists(target)) {
                throw new InvalidInputException(target + " already exists; 'config init' never overwrites a file: edit"
                        + " it (check it with 'aml <path> config validate'), or move it away first");
            }
            try {
                SettingsLoader.init(target);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof FileAlreadyExistsException) {
                    throw new InvalidInputException(target + " appeared while it was written; it was left as it is");
                }
                throw new InvalidInputException("Cannot write " + target + ": " + e.getCause().getMessage(), e);
            }
            if (json()) {
                output().json(Map.of("file", target.toString()));
            } else {
                output().line("Wrote the defaults to " + target + " (" + AmlSettings.keys().size() + " keys; delete"
                        + " the ones you do not change, a missing key means its default)");
            }
            return ExitCodes.OK;
        }

        private Path target() {
            if (common.config != null) {
                return common.config;
            }
            String named = environment().get(AmlSettings.CONFIG_ENV);
            if (named != null && !named.isBlank()) {
                return Path.of(named);
            }
            if (Managers.isJdbcUrl(memoryArgument())) {
                throw new InvalidInputException("A jdbc: URL has no memory tree to hold config/aml.json: give the"
                        + " file with --config FILE");
            }
            return AmlSettings.file(existingMemoryPath());
        }
    }
}
