package dev.aml.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The module layout as rules over a source tree: a project root with one {@code aml-*} folder per
 * module, each with {@code src/main/java} (and optionally {@code module-info.java} and
 * {@code pom.xml}). Each rule is a function returning its violations as {@code "module/file: type"}
 * lines, empty when the tree obeys it, so {@code ArchitectureTest} applies them to the real project
 * and {@code ModuleRulesTest} to small fake trees that break each rule on purpose.
 *
 * <p>It reads sources (imports and fully qualified names outside comments and literals), so it needs
 * no class files and no library. Package names decide, not prefixes: {@code dev.aml.store} is the file
 * store's package and {@code dev.aml.store.jdbc} the PostgreSQL store's own, so "aml-store-jdbc must
 * not use {@code dev.aml.store}" means types whose package the {@code aml-store} module holds, never
 * {@code dev.aml.store.jdbc.*}.
 */
final class ModuleRules {

    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.aml(?:\\.[a-z][a-z0-9]*)+)((?:\\.[A-Z]\\w*)+)");

    private final Path root;
    private final List<String> modules;
    /** package → module that holds it. */
    private final Map<String, String> owner = new TreeMap<>();

    private ModuleRules(Path root) throws IOException {
        this.root = root;
        List<String> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> d.getFileName().toString().startsWith("aml-") && Files.isDirectory(d.resolve("src/main/java")))
                    .map(d -> d.getFileName().toString()).sorted().forEach(found::add);
        }
        this.modules = List.copyOf(found);
        for (String module : modules) {
            Path src = sources(module);
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))
                        .forEach(f -> owner.put(src.relativize(f.getParent()).toString().replace('/', '.'), module));
            }
        }
    }

    /**
     * @param projectRoot the folder holding the {@code aml-*} modules
     * @return the rules over that tree
     * @throws IOException if the tree cannot be read
     */
    static ModuleRules of(Path projectRoot) throws IOException {
        return new ModuleRules(projectRoot);
    }

    /** @return the modules found, sorted */
    List<String> modules() {
        return modules;
    }

    /** @return package → the module that holds it */
    Map<String, String> owners() {
        return Collections.unmodifiableMap(owner);
    }

    // ------------------------------------------------------------------------------------------ rules

    /**
     * aml-store-jdbc builds on the Loom format, not on the file store: it names no type of
     * {@code aml-store}, does not require its module, and depends on it in tests only.
     *
     * @return the violations
     * @throws IOException if a source cannot be read
     */
    List<String> jdbcStoreNamesTheFileStore() throws IOException {
        String jdbc = "aml-store-jdbc";
        List<String> found = violations(jdbc, t -> "aml-store".equals(ownerOf(t)));
        Path info = sources(jdbc).resolve("module-info.java");
        if (Files.exists(info) && Pattern.compile("requires[^;]*\\bdev\\.aml\\.store\\s*;")
                .matcher(withoutCommentsAndStrings(Files.readString(info))).find()) {
            found.add(jdbc + "/module-info.java: requires dev.aml.store");
        }
        Path pom = root.resolve(jdbc).resolve("pom.xml");
        if (Files.exists(pom) && Pattern.compile("<artifactId>aml-store</artifactId>(?!\\s*<scope>test</scope>)")
                .matcher(Files.readString(pom)).find()) {
            found.add(jdbc + "/pom.xml: depends on aml-store outside tests");
        }
        return found;
    }

    /**
     * The CLI opens stores by location: of the store modules ({@code aml-store}, {@code aml-store-jdbc})
     * it names only public exception types (for exit codes), never a store class such as
     * {@code FileMemoryStore} or {@code JdbcMemoryStore}, and nothing internal.
     *
     * @return the violations
     * @throws IOException if a source cannot be read
     */
    List<String> cliNamesAStoreImplementation() throws IOException {
        return violations("aml-cli", t -> {
            String module = ownerOf(t);
            boolean storeModule = "aml-store".equals(module) || "aml-store-jdbc".equals(module);
            return storeModule && (packageOf(t).contains(".internal") || !t.endsWith("Exception"));
        });
    }

    /**
     * Maintenance reaches storage only through the SPI of aml-core: it names no type of a store module.
     *
     * @return the violations
     * @throws IOException if a source cannot be read
     */
    List<String> maintenanceNamesAStoreModule() throws IOException {
        return violations("aml-maintenance", t -> {
            String module = ownerOf(t);
            return "aml-store".equals(module) || "aml-store-jdbc".equals(module);
        });
    }

    /**
     * Maintenance names no {@code internal} type of another module, except the listed ones.
     *
     * @param allowed fully qualified internal types maintenance may name (shared on purpose)
     * @return the violations
     * @throws IOException if a source cannot be read
     */
    List<String> maintenanceNamesInternalsOfAnotherModule(Set<String> allowed) throws IOException {
        return violations("aml-maintenance", t -> {
            String module = ownerOf(t);
            return module != null && !module.equals("aml-maintenance") && packageOf(t).contains(".internal")
                    && !allowed.contains(t);
        });
    }

    /**
     * No module names another module's {@code internal} type unless that module's {@code module-info}
     * exports the package to it (the class path would not stop it).
     *
     * @param exempt modules not checked (benchmarks measure internals on purpose)
     * @return the violations
     * @throws IOException if a source cannot be read
     */
    List<String> internalsNotExportedToTheirUser(Set<String> exempt) throws IOException {
        List<String> found = new ArrayList<>();
        for (String module : modules) {
            if (exempt.contains(module)) {
                continue;
            }
            String self = moduleName(module);
            found.addAll(violations(module, t -> {
                String holder = ownerOf(t);
                return holder != null && !holder.equals(module) && packageOf(t).contains(".internal")
                        && !exportedTo(holder, packageOf(t), self);
            }));
        }
        return found;
    }

    // ------------------------------------------------------------------------------------------ reading

    private Path sources(String module) {
        return root.resolve(module).resolve("src/main/java");
    }

    private String ownerOf(String type) {
        return owner.get(packageOf(type));
    }

    private static String packageOf(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }

    /** @return "module/file: type" for every type the module names that {@code forbidden} matches */
    private List<String> violations(String module, Predicate<String> forbidden) throws IOException {
        List<String> found = new ArrayList<>();
        if (!modules.contains(module)) {
            return found;
        }
        references(module).forEach((file, types) -> types.stream().filter(forbidden)
                .forEach(t -> found.add(module + "/" + file + ": " + t)));
        return found;
    }

    /** @return for each main source file of the module, the fully qualified AML types it names (outside comments) */
    private Map<String, Set<String>> references(String module) throws IOException {
        Map<String, Set<String>> refs = new TreeMap<>();
        Path src = sources(module);
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

    private String moduleName(String module) {
        Path info = sources(module).resolve("module-info.java");
        if (!Files.exists(info)) {
            return module; // an automatic module (Spring/LangChain4j adapters): no qualified export names it
        }
        try {
            Matcher m = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{").matcher(withoutCommentsAndStrings(
                    Files.readString(info)));
            return m.find() ? m.group(1) : module;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean exportedTo(String holder, String pkg, String moduleName) {
        Path info = sources(holder).resolve("module-info.java");
        if (!Files.exists(info)) {
            return false; // an automatic module exports everything, but its internals are still not API
        }
        try {
            String text = withoutCommentsAndStrings(Files.readString(info));
            Matcher m = Pattern.compile("exports\\s+" + Pattern.quote(pkg) + "\\s+to\\s+([^;]+);").matcher(text);
            return m.find() && Set.of(m.group(1).replaceAll("\\s", "").split(",")).contains(moduleName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
