package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule of {@link ModuleRules} reports a tree that breaks it: a tiny fake project (one or two
 * classes per module) that obeys every rule, then one source changed to break one rule.
 */
class ModuleRulesTest {

    private static final Set<String> ALLOWED = Set.of("dev.aml.core.internal.Json");

    @TempDir
    Path root;

    @BeforeEach
    void aTreeThatObeysEveryRule() throws IOException {
        write("aml-core", "module-info.java", """
                module dev.aml.core {
                    exports dev.aml.core;
                    exports dev.aml.core.internal to dev.aml.maintenance;
                }
                """);
        write("aml-core", "dev/aml/core/MemoryStore.java", "package dev.aml.core; public interface MemoryStore {}");
        write("aml-core", "dev/aml/core/internal/Json.java", "package dev.aml.core.internal; public final class Json {}");
        write("aml-core", "dev/aml/core/internal/ItemTable.java",
                "package dev.aml.core.internal; public final class ItemTable {}");
        write("aml-loom", "dev/aml/loom/LoomJson.java", "package dev.aml.loom; public final class LoomJson {}");
        write("aml-store", "dev/aml/store/FileMemoryStore.java", "package dev.aml.store; public final class FileMemoryStore {}");
        write("aml-store", "dev/aml/store/internal/TreeFiles.java",
                "package dev.aml.store.internal; public final class TreeFiles {}");
        write("aml-store-jdbc", "module-info.java", "module dev.aml.store.jdbc { requires dev.aml.loom; }");
        write("aml-store-jdbc", "dev/aml/store/jdbc/JdbcMemoryStore.java", """
                package dev.aml.store.jdbc;
                import dev.aml.loom.LoomJson;
                public final class JdbcMemoryStore {}
                """);
        write("aml-store-jdbc", "dev/aml/store/jdbc/JdbcStoreException.java",
                "package dev.aml.store.jdbc; public class JdbcStoreException extends RuntimeException {}");
        Files.writeString(root.resolve("aml-store-jdbc/pom.xml"), """
                <project><dependencies>
                  <dependency><groupId>dev.aml</groupId><artifactId>aml-loom</artifactId></dependency>
                  <dependency><groupId>dev.aml</groupId><artifactId>aml-store</artifactId><scope>test</scope></dependency>
                </dependencies></project>
                """);
        write("aml-maintenance", "module-info.java", "module dev.aml.maintenance { requires dev.aml.core; }");
        write("aml-maintenance", "dev/aml/maintenance/MemoryManager.java", """
                package dev.aml.maintenance;
                import dev.aml.core.MemoryStore;
                import dev.aml.core.internal.Json;
                import dev.aml.maintenance.internal.Engine;
                public final class MemoryManager {}
                """);
        write("aml-maintenance", "dev/aml/maintenance/internal/Engine.java",
                "package dev.aml.maintenance.internal; public final class Engine {}");
        write("aml-cli", "module-info.java", "module dev.aml.cli { requires dev.aml.maintenance; }");
        write("aml-cli", "dev/aml/cli/Main.java", """
                package dev.aml.cli;
                import dev.aml.core.MemoryStore;
                import dev.aml.store.jdbc.JdbcStoreException; // exit code 69
                /** Opens any store by location, never dev.aml.store.FileMemoryStore itself. */
                final class Main { String text = "dev.aml.store.FileMemoryStore"; }
                """);
    }

    @Test
    void theObedientTreePassesEveryRule() throws IOException {
        ModuleRules rules = ModuleRules.of(root);

        assertThat(rules.modules()).containsExactly("aml-cli", "aml-core", "aml-loom", "aml-maintenance", "aml-store",
                "aml-store-jdbc");
        assertThat(rules.jdbcStoreNamesTheFileStore()).isEmpty();
        assertThat(rules.cliNamesAStoreImplementation()).isEmpty();
        assertThat(rules.maintenanceNamesAStoreModule()).isEmpty();
        assertThat(rules.maintenanceNamesInternalsOfAnotherModule(ALLOWED)).isEmpty();
        assertThat(rules.internalsNotExportedToTheirUser(Set.of())).isEmpty();
    }

    @Test
    void thePostgresqlStoreImportingTheFileStoreIsReported() throws IOException {
        write("aml-store-jdbc", "dev/aml/store/jdbc/internal/Export.java", """
                package dev.aml.store.jdbc.internal;
                import dev.aml.store.FileMemoryStore;
                final class Export { Object o = dev.aml.store.internal.TreeFiles.class; }
                """);

        assertThat(ModuleRules.of(root).jdbcStoreNamesTheFileStore()).containsExactly(
                "aml-store-jdbc/dev/aml/store/jdbc/internal/Export.java: dev.aml.store.FileMemoryStore",
                "aml-store-jdbc/dev/aml/store/jdbc/internal/Export.java: dev.aml.store.internal.TreeFiles");
    }

    @Test
    void thePostgresqlStoreRequiringOrDependingOnTheFileStoreIsReported() throws IOException {
        write("aml-store-jdbc", "module-info.java", "module dev.aml.store.jdbc { requires transitive dev.aml.store; }");
        Files.writeString(root.resolve("aml-store-jdbc/pom.xml"),
                "<project><dependency><artifactId>aml-store</artifactId></dependency></project>");

        assertThat(ModuleRules.of(root).jdbcStoreNamesTheFileStore()).containsExactly(
                "aml-store-jdbc/module-info.java: requires dev.aml.store",
                "aml-store-jdbc/pom.xml: depends on aml-store outside tests");
    }

    @Test
    void theCommandLineNamingAStoreClassOrStoreInternalsIsReported() throws IOException {
        write("aml-cli", "dev/aml/cli/Open.java", """
                package dev.aml.cli;
                import dev.aml.store.FileMemoryStore;
                final class Open {
                    Object jdbc = dev.aml.store.jdbc.JdbcMemoryStore.class;
                    Object files = dev.aml.store.internal.TreeFiles.class;
                }
                """);

        assertThat(ModuleRules.of(root).cliNamesAStoreImplementation()).containsExactly(
                "aml-cli/dev/aml/cli/Open.java: dev.aml.store.FileMemoryStore",
                "aml-cli/dev/aml/cli/Open.java: dev.aml.store.internal.TreeFiles",
                "aml-cli/dev/aml/cli/Open.java: dev.aml.store.jdbc.JdbcMemoryStore");
    }

    @Test
    void maintenanceNamingAStoreModuleIsReported() throws IOException {
        write("aml-maintenance", "dev/aml/maintenance/internal/Optimize.java", """
                package dev.aml.maintenance.internal;
                import dev.aml.store.jdbc.JdbcMemoryStore;
                final class Optimize { Object o = dev.aml.store.FileMemoryStore.class; }
                """);

        assertThat(ModuleRules.of(root).maintenanceNamesAStoreModule()).containsExactly(
                "aml-maintenance/dev/aml/maintenance/internal/Optimize.java: dev.aml.store.FileMemoryStore",
                "aml-maintenance/dev/aml/maintenance/internal/Optimize.java: dev.aml.store.jdbc.JdbcMemoryStore");
    }

    @Test
    void maintenanceNamingInternalsOfAnotherModuleIsReportedUnlessAllowed() throws IOException {
        write("aml-maintenance", "dev/aml/maintenance/internal/Scan.java", """
                package dev.aml.maintenance.internal;
                import dev.aml.core.internal.ItemTable;
                import dev.aml.core.internal.Json;
                import dev.aml.store.internal.TreeFiles;
                final class Scan {}
                """);

        ModuleRules rules = ModuleRules.of(root);

        assertThat(rules.maintenanceNamesInternalsOfAnotherModule(ALLOWED)).containsExactly(
                "aml-maintenance/dev/aml/maintenance/internal/Scan.java: dev.aml.core.internal.ItemTable",
                "aml-maintenance/dev/aml/maintenance/internal/Scan.java: dev.aml.store.internal.TreeFiles");
        assertThat(rules.maintenanceNamesInternalsOfAnotherModule(Set.of())).hasSize(4)
                .anyMatch(v -> v.endsWith("MemoryManager.java: dev.aml.core.internal.Json"));
    }

    @Test
    void internalsNotExportedToTheirUserAreReported() throws IOException {
        write("aml-cli", "dev/aml/cli/Dump.java",
                "package dev.aml.cli; import dev.aml.core.internal.Json; final class Dump {}");

        assertThat(ModuleRules.of(root).internalsNotExportedToTheirUser(Set.of())).containsExactly(
                "aml-cli/dev/aml/cli/Dump.java: dev.aml.core.internal.Json");
        assertThat(ModuleRules.of(root).internalsNotExportedToTheirUser(Set.of("aml-cli"))).isEmpty();

        write("aml-core", "module-info.java",
                "module dev.aml.core { exports dev.aml.core.internal to dev.aml.maintenance, dev.aml.cli; }");
        assertThat(ModuleRules.of(root).internalsNotExportedToTheirUser(Set.of())).isEmpty();
    }

    private void write(String module, String file, String content) throws IOException {
        Path path = root.resolve(module).resolve("src/main/java").resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }
}
