package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./aml} in a repository whose path has spaces: the start-up archive and the compiler
 * directives are passed as one JVM option each, and the command's arguments arrive unchanged; an
 * operator's heap limit and {@code AML_JVM_FLAGS} take precedence over the launcher's flags. The
 * launcher is run for real (with {@code sh}) on a copy of its layout whose {@code aml.jar} is a probe
 * that prints what it got.
 */
@EnabledOnOs(OS.LINUX) // the probe reads its command line from /proc
class LauncherPathWithSpacesTest {

    @TempDir
    Path dir;

    @Test
    void optionsWithTheRepositoryPathStayWholeAndArgumentsArriveUnchanged() throws Exception {
        Path repo = dir.resolve("my repo/with spaces");
        Path target = Files.createDirectories(repo.resolve("aml-cli/target"));
        Files.createDirectories(repo.resolve("aml-cli/jit"));
        Files.copy(Path.of("..", "aml"), repo.resolve("aml"));
        Files.copy(Path.of("jit", "hashing-directives.json"), repo.resolve("aml-cli/jit/hashing-directives.json"));
        Path jar = target.resolve("aml.jar");
        writeProbeJar(jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path archive = target.resolve("aml.jsa");
        // an archive of the probe, newer than the jar: the launcher uses it instead of training one
        assertThat(run(dir, List.of("java", "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-jar", jar.toString()))).isNotEmpty();
        assertThat(archive).isRegularFile();

        List<String> hashing = run(dir, List.of("sh", repo.resolve("aml").toString(), "backup", "create",
                "--description", "two words"));
        assertThat(hashing).contains("jvm:-XX:SharedArchiveFile=" + archive,
                "jvm:-XX:CompilerDirectivesFile=" + repo.resolve("aml-cli/jit/hashing-directives.json"),
                "jvm:-Xms256m");
        assertThat(args(hashing)).containsExactly("backup", "create", "--description", "two words");

        List<String> plain = run(dir, List.of("sh", repo.resolve("aml").toString(), "query", "--text", "a  b"));
        assertThat(plain).contains("jvm:-XX:TieredStopAtLevel=1", "jvm:-XX:SharedArchiveFile=" + archive);
        assertThat(plain).noneMatch(line -> line.startsWith("jvm:-XX:CompilerDirectivesFile"));
        assertThat(args(plain)).containsExactly("query", "--text", "a  b");

        // a heap limit of the operator's (a container's -Xmx below the launcher's start size) is left alone
        List<String> limited = run(dir, Map.of("AML_JAVA_OPTS", "-Xmx128m"), List.of("sh",
                repo.resolve("aml").toString(), "query"));
        assertThat(limited).contains("jvm:-Xmx128m", "jvm:-XX:TieredStopAtLevel=1");
        assertThat(limited).noneMatch(line -> line.startsWith("jvm:-Xms") || line.startsWith("jvm:-XX:NewRatio"));

        // AML_JVM_FLAGS replaces the JIT, collector and heap flags: empty means the JVM's defaults
        List<String> defaults = run(dir, Map.of("AML_JVM_FLAGS", ""), List.of("sh", repo.resolve("aml").toString(),
                "backup", "list"));
        assertThat(defaults).noneMatch(line -> line.startsWith("jvm:-Xms") || line.startsWith("jvm:-XX:Tiered")
                || line.startsWith("jvm:-XX:CompilerDirectivesFile") || line.startsWith("jvm:-XX:+UseSerialGC"));
        assertThat(args(defaults)).containsExactly("backup", "list");
    }

    private static List<String> args(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("arg:")).map(l -> l.substring(4)).toList();
    }

    private List<String> run(Path cwd, List<String> command) throws IOException, InterruptedException {
        return run(cwd, Map.of(), command);
    }

    private List<String> run(Path cwd, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().remove("AML_JVM_FLAGS");
        pb.environment().remove("AML_JAVA_OPTS");
        pb.environment().remove("AML_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish within 60 s: " + command);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return new ArrayList<>(out.lines().toList());
    }

    private static void writeProbeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream probe = LauncherProbe.class.getResourceAsStream("/" + entry)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(probe.readAllBytes());
            out.closeEntry();
        }
    }
}
