package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layout as rules over the sources of every module's {@code src/main/java}: which module
 * may name which package. It reads the sources (imports and fully qualified names outside comments),
 * so it needs no class files of other modules and no library.
 *
 * <p>Package names decide, not prefixes: {@code dev.aml.store} is the file store's package and
 * {@code dev.aml.store.jdbc} is the PostgreSQL store's own, so "aml-store-jdbc must not use
 * {@code dev.aml.store}" means types whose package is exactly {@code dev.aml.store} (or the file
 * store's {@code dev.aml.store.internal}), never {@code dev.aml.store.jdbc.*}.
 */
class ArchitectureTest {

    /** Types whose package ends or contains {@code .internal}, named outside their module, that are allowed. */
    private static final Map<String, Set<String>> SHARED_INTERNALS = Map.of(
            // aml-core exports dev.aml.core.internal to the AML modules (module-info): the one JSON mapper
            // configuration, the query engine behind MemoryManager and the builders' set-once rule.
            // Anything more is a new coupling.
            "aml-maintenance", Set.of("dev.aml.core.internal.Json", "dev.aml.core.internal.QueryEngine",
                    "dev.aml.core.internal.SetOnce"));

    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.aml(?:\\.[a-z][a-z0-9]*)+)((?:\\.[A-Z]\\w*)+)");

    private static Path projectRoot;
    /** package → module that holds it. */
    private static final Map<String, String> OWNER = new TreeMap<>();

    @BeforeAll
    static void findModules() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        projectRoot = Files.exists(here.resolve("aml-core")) ? here : here.getParent();
        assertThat(projectRoot.resolve("aml-core/src/main/java")).isDirectory();
        for (String module : modules()) {
            Path src = projectRoot.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))
                        .forEach(f -> OWNER.put(src.relativize(f.getParent()).toString().replace('/', '.'), module));
            }
        }
    }

    private static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(projectRoot)) {
            dirs.filter(d -> d.getFileName().toString().startsWith("aml-") && Files.isDirectory(d.resolve("src/main/java")))
                    .map(d -> d.getFileName().toString()).sorted().forEach(modules::add);
        }
        return modules;
    }

    /** @return for each main source file of the module, the fully qualified AML types it names (outside comments) */
    private static Map<String, Set<String>> references(String module) throws IOException {
        Map<String, Set<String>> refs = new TreeMap<>();
        Path src = projectRoot.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = withoutCommentsAndStrings(Files.readString(f));
                Set<String> types = new TreeSet<>();
                Matcher m = QUALIFIED.matcher(code);
                while (m.find()) {
                    types.add(m.group(1) + "." + m.group(2).substring(1).split("\\.")[0]);
                }
                refs.put(src.relativize(f).toString(), types);
            }
        }
        return refs;
    }

    /** @return the source with comments, string and char literals (text blocks too) blanked */
    static String withoutCommentsAndStrings(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c) {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append("\"\"");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void commentsAndLiteralsDoNotCount() {
        assertThat(withoutCommentsAndStrings("a /* dev.aml.store.X */ b // dev.aml.store.Y\n\"dev.aml.store.Z\" 'x' c"))
                .isEqualTo("a   b \n\"\" \"\" c");
    }

    private static String packageOf(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }

    /** @return "file: type" for every type a module names that the rule forbids */
    private static List<String> violations(String module, java.util.function.Predicate<String> forbidden)
            throws IOException {
        List<String> found = new ArrayList<>();
        references(module).forEach((file, types) -> types.stream().filter(forbidden)
                .forEach(t -> found.add(module + "/" + file + ": " + t)));
        return found;
    }

    @Test
    void theRulesSeeTheModulesTheyAreAbout() {
        assertThat(OWNER).containsEntry("dev.aml.store", "aml-store").containsEntry("dev.aml.store.jdbc", "aml-store-jdbc")
                .containsEntry("dev.aml.loom", "aml-loom").containsEntry("dev.aml.maintenance", "aml-maintenance");
    }

    @Test
    void thePostgresqlStoreUsesTheLoomFormatNotTheFileStore() throws IOException {
        assertThat(violations("aml-store-jdbc", t -> "aml-store".equals(OWNER.get(packageOf(t))))).isEmpty();
        assertThat(Files.readString(projectRoot.resolve("aml-store-jdbc/src/main/java/module-info.java")))
                .doesNotContainPattern("requires[^;]*\\bdev\\.aml\\.store;");
        assertThat(Files.readString(projectRoot.resolve("aml-store-jdbc/pom.xml")))
                .doesNotContainPattern("<artifactId>aml-store</artifactId>(?!\\s*<scope>test</scope>)");
    }

    @Test
    void theCommandLineNamesNoStoreImplementation() throws IOException {
        // it opens stores by location; of the store modules it may name only exception types (exit codes)
        assertThat(violations("aml-cli", t -> {
            String owner = OWNER.get(packageOf(t));
            boolean storeModule = "aml-store".equals(owner) || "aml-store-jdbc".equals(owner);
            return storeModule && (packageOf(t).contains(".internal") || !t.endsWith("Exception"));
        })).isEmpty();
    }

    @Test
    void maintenanceReachesStorageOnlyThroughTheSpi() throws IOException {
        assertThat(violations("aml-maintenance", t -> {
            String owner = OWNER.get(packageOf(t));
            return "aml-store".equals(owner) || "aml-store-jdbc".equals(owner);
        })).isEmpty();
    }

    @Test
    void maintenanceNamesNoInternalsOfAnotherModule() throws IOException {
        Set<String> allowed = SHARED_INTERNALS.get("aml-maintenance");
        assertThat(violations("aml-maintenance", t -> {
            String owner = OWNER.get(packageOf(t));
            return owner != null && !owner.equals("aml-maintenance") && packageOf(t).contains(".internal")
                    && !allowed.contains(t);
        })).isEmpty();
    }

    @Test
    void noModuleNamesInternalsNotExportedToIt() throws IOException {
        // the class path (tests, shaded jars) would not stop it; module-info's qualified exports say who may
        List<String> found = new ArrayList<>();
        for (String module : modules()) {
            if (module.equals("aml-benchmarks")) {
                continue; // JMH benchmarks measure internals on purpose and are not a library
            }
            String self = moduleName(module);
            found.addAll(violations(module, t -> {
                String owner = OWNER.get(packageOf(t));
                return owner != null && !owner.equals(module) && packageOf(t).contains(".internal")
                        && !exportedTo(owner, packageOf(t), self);
            }));
        }
        assertThat(found).isEmpty();
    }

    private static String moduleName(String module) {
        if (!Files.exists(projectRoot.resolve(module).resolve("src/main/java/module-info.java"))) {
            return module; // an automatic module (Spring/LangChain4j adapters): no qualified export names it
        }
        try {
            Matcher m = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{").matcher(withoutCommentsAndStrings(
                    Files.readString(projectRoot.resolve(module).resolve("src/main/java/module-info.java"))));
            return m.find() ? m.group(1) : module;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean exportedTo(String owner, String pkg, String moduleName) {
        if (!Files.exists(projectRoot.resolve(owner).resolve("src/main/java/module-info.java"))) {
            return false; // an automatic module exports everything, but its internals are still not API
        }
        try {
            String info = withoutCommentsAndStrings(
                    Files.readString(projectRoot.resolve(owner).resolve("src/main/java/module-info.java")));
            Matcher m = Pattern.compile("exports\\s+" + Pattern.quote(pkg) + "\\s+to\\s+([^;]+);").matcher(info);
            return m.find() && Set.of(m.group(1).replaceAll("\\s", "").split(",")).contains(moduleName);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
