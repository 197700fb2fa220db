package dev.aml.cli;

import dev.aml.core.InvalidInputException;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.settings.AmlSettings;
import dev.aml.maintenance.settings.EffectiveSettings;
import dev.aml.maintenance.settings.InvalidSettingsException;
import dev.aml.maintenance.settings.SettingsLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Base of every command that does work: gives access to the memory path, the common options, the
 * output helper, progress lines and a {@link MemoryManager} opened on the memory root.
 *
 * <p>A command's {@code call()} typically reads:
 * <pre>{@code
 * try (MemoryManager aml = openManager()) {
 *     PruneReport r = withProgress("Pruning", () -> aml.prune(config).execute());
 *     if (output().isJson()) { output().json(r); } else { output().line("Items pruned: " + r.pruned()); }
 *     return ExitCodes.OK;
 * }
 * }</pre>
 * Exceptions need no handling: {@link Main} prints them as one line and maps them to an exit code.
 */
abstract class LeafCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    private @Nullable EffectiveSettings settings;

    /**
     * A command-line option that sets a settings key, e.g. {@code --aggressive} or {@code --backup-root}.
     *
     * @param keyPath the key, e.g. {@code backup.backup_root}
     * @param value the value as typed, or its JSON form
     * @param origin the option, named by {@code config show} and in errors
     */
    record Flag(String keyPath, @Nullable Object value, String origin) {
    }

    /**
     * @return this command's options that set settings keys (flags beat the environment and the file);
     *     the default is {@code --backup-root} when given
     */
    List<Flag> settingFlags() {
        List<Flag> flags = new ArrayList<>();
        Path dir = backupRoot();
        if (dir != null) {
            flags.add(new Flag("backup.backup_root", dir.toString(), "--backup-root"));
        }
        return flags;
    }

    /**
     * Loads the settings once: flags ({@code --set}, then the command's own), then the environment,
     * then the file ({@code --config FILE}, else {@code AML_CONFIG}, else
     * {@code <memory-path>/config/aml.json}), then the defaults. Called before anything is opened, so
     * bad configuration is refused (exit 78) before the tree is touched.
     *
     * @return the effective settings
     * @throws InvalidSettingsException (exit 78) naming the file, variable or flag, the key and what is allowed
     */
    EffectiveSettings settings() {
        if (settings == null) {
            SettingsLoader loader = SettingsLoader.create().environment(environment());
            if (!Managers.isJdbcUrl(memoryArgument())) {
                loader.memoryRoot(memoryPath());
            }
            if (common.config != null) {
                loader.file(common.config);
            }
            for (String assignment : common.set) {
                int eq = assignment.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidSettingsException("--set", assignment, "must be section.key=value, e.g."
                            + " --set prune.min_success_rate=0.3");
                }
                loader.flag(assignment.substring(0, eq).strip(), assignment.substring(eq + 1), "--set");
            }
            for (Flag f : settingFlags()) {
                loader.flag(f.keyPath(), f.value(), f.origin());
            }
            settings = loader.load();
        }
        return settings;
    }

    /** @return the environment of this run */
    Map<String, String> environment() {
        CommandSpec s = spec;
        while (s.parent() != null) {
            s = s.parent();
        }
        return ((AmlCommand) s.userObject()).environment;
    }

    /** @return the memory root given to {@code aml} (or the default) */
    Path memoryPath() {
        CommandSpec s = spec;
        while (s.parent() != null) {
            s = s.parent();
        }
        return ((AmlCommand) s.userObject()).memoryPath();
    }

    /**
     * @return the memory root, which must be an existing directory
     * @throws InvalidInputException (exit 64) naming the path when it does not exist
     */
    Path existingMemoryPath() {
        Path root = memoryPath();
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException("Memory path does not exist: " + root
                    + " (give the memory root, e.g. 'aml .loom/memory monitor health', or run 'aml demo' to create"
                    + " a sample tree)");
        }
        return root;
    }

    /**
     * Opens the memory tree at {@link #existingMemoryPath()} with the file store, or, when the memory
     * argument is a {@code jdbc:postgresql://…} URL, the PostgreSQL store (credentials from
     * {@code AML_JDBC_USER} / {@code AML_JDBC_PASSWORD}). The caller closes it (try-with-resources).
     *
     * @return the manager
     * @throws InvalidInputException if the path does not exist
     * @throws dev.aml.core.ConcurrentOperationException if another process holds the tree (exit 73)
     */
    MemoryManager openManager() {
        return openManager(settings().settings());
    }

    /**
     * @param with the settings to open with (the command's own variant of {@link #settings()})
     * @return the manager, read-write
     */
    MemoryManager openManager(AmlSettings with) {
        String argument = memoryArgument();
        if (Managers.isJdbcUrl(argument)) {
            return Managers.openJdbc(argument, environment(), with);
        }
        return reported(Managers.open(existingMemoryPath(), with));
    }

    /** Prints what opening did about an interrupted in-place restore (stderr, before the command's output). */
    private MemoryManager reported(MemoryManager aml) {
        aml.restoreRecovery().ifPresent(message -> err().println("aml: " + message));
        return aml;
    }

    /**
     * @return the directory of {@code --backup-root}, for commands that take it; {@code null} (the
     *     default place beside the memory root) otherwise
     */
    @Nullable Path backupRoot() {
        return null;
    }

    /** @return the backup settings in force ({@code backup} section, {@code --backup-root} included) */
    BackupConfig backupConfig() {
        return settings().settings().backup();
    }

    /**
     * Like {@link #openManager()}, but a file tree is opened read-only (no writer lock): for commands
     * that only read memory items, such as {@code monitor}, so they work while an application writes.
     *
     * @return the manager
     * @throws InvalidInputException if the path does not exist
     */
    MemoryManager openManagerReadOnly() {
        AmlSettings with = settings().settings();
        String argument = memoryArgument();
        if (Managers.isJdbcUrl(argument)) {
            return Managers.openJdbc(argument, environment(), with);
        }
        return reported(Managers.openReadOnly(existingMemoryPath(), with));
    }

    /**
     * @return the memory as it should be shown to people: the path, or a JDBC URL without its
     *     parameters and user information (they may hold credentials)
     */
    String memoryLabel() {
        String argument = memoryArgument();
        if (!Managers.isJdbcUrl(argument)) {
            return argument;
        }
        String withoutParams = argument.replaceFirst("[?;].*$", "");
        return withoutParams.replaceFirst("//[^/@]*@", "//");
    }

    /** @return the memory argument exactly as typed (a path, or a JDBC URL that Path would mangle) */
    String memoryArgument() {
        CommandSpec s = spec;
        while (s.parent() != null) {
            s = s.parent();
        }
        ParseResult parsed = s.commandLine().getParseResult();
        if (parsed != null) {
            for (PositionalParamSpec p : parsed.matchedPositionals()) {
                if (p.index().min() == 0 && !p.originalStringValues().isEmpty()) {
                    return p.originalStringValues().get(0);
                }
            }
        }
        return memoryPath().toString();
    }

    /** @return the output helper (JSON when {@code --json} was given, else text) */
    Output output() {
        return new Output(out(), common.json());
    }

    /** @return whether {@code --json} was given */
    boolean json() {
        return common.json();
    }

    /**
     * @param label what is running, e.g. {@code "Pruning"}
     * @return a progress line on stderr for operations over a second (terminal only); close it when done
     */
    Progress progress(String label) {
        return Progress.start(err(), label);
    }

    /**
     * Runs {@code action} with a progress line on stderr (shown after a second, terminal only).
     *
     * @param label what is running, e.g. {@code "Pruning"}
     * @param action the work
     * @param <T> its result type
     * @return its result
     */
    <T> T withProgress(String label, java.util.function.Supplier<T> action) {
        Progress p = progress(label);
        try {
            return action.get();
        } finally {
            p.close();
        }
    }

    /** @return standard output */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return standard error */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
