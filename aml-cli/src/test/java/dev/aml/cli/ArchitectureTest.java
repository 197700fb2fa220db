package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layout of this project, checked with {@link ModuleRules} over the sources of every
 * module's {@code src/main/java}: which module may name which package. {@code ModuleRulesTest} shows
 * that each rule reports a tree that breaks it.
 */
class ArchitectureTest {

    /** Types whose package contains {@code .internal}, named outside their module, that are allowed. */
    private static final Map<String, Set<String>> SHARED_INTERNALS = Map.of(
            // aml-core exports dev.aml.core.internal to the AML modules (module-info): the one JSON mapper
            // configuration, the query engine behind MemoryManager and the builders' set-once rule.
            // Anything more is a new coupling.
            "aml-maintenance", Set.of("dev.aml.core.internal.Json", "dev.aml.core.internal.QueryEngine",
                    "dev.aml.core.internal.SetOnce"));

    private static ModuleRules rules;

    @BeforeAll
    static void readTheProject() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        Path projectRoot = Files.exists(here.resolve("aml-core")) ? here : here.getParent();
        assertThat(projectRoot.resolve("aml-core/src/main/java")).isDirectory();
        rules = ModuleRules.of(projectRoot);
    }

    @Test
    void commentsAndLiteralsDoNotCount() {
        assertThat(ModuleRules.withoutCommentsAndStrings(
                "a /* dev.aml.store.X */ b // dev.aml.store.Y\n\"dev.aml.store.Z\" 'x' c"))
                .isEqualTo("a   b \n\"\" \"\" c");
    }

    @Test
    void theRulesSeeTheModulesTheyAreAbout() {
        assertThat(rules.owners()).containsEntry("dev.aml.store", "aml-store")
                .containsEntry("dev.aml.store.jdbc", "aml-store-jdbc").containsEntry("dev.aml.loom", "aml-loom")
                .containsEntry("dev.aml.maintenance", "aml-maintenance").containsEntry("dev.aml.cli", "aml-cli");
    }

    @Test
    void thePostgresqlStoreUsesTheLoomFormatNotTheFileStore() throws IOException {
        assertThat(rules.jdbcStoreNamesTheFileStore()).isEmpty();
    }

    @Test
    void theCommandLineNamesNoStoreImplementation() throws IOException {
        assertThat(rules.cliNamesAStoreImplementation()).isEmpty();
    }

    @Test
    void maintenanceReachesStorageOnlyThroughTheSpi() throws IOException {
        assertThat(rules.maintenanceNamesAStoreModule()).isEmpty();
    }

    @Test
    void maintenanceNamesNoInternalsOfAnotherModule() throws IOException {
        assertThat(rules.maintenanceNamesInternalsOfAnotherModule(SHARED_INTERNALS.get("aml-maintenance"))).isEmpty();
    }

    @Test
    void noModuleNamesInternalsNotExportedToIt() throws IOException {
        assertThat(rules.internalsNotExportedToTheirUser(Set.of("aml-benchmarks"))).isEmpty();
    }
}
