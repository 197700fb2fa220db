package dev.aml.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps README examples honest: the lines between {@code // README:start} and {@code // README:end}
 * of a test source file (which the test runs) must appear, stripped of indentation and in order,
 * between {@code <!-- NAME:start -->} and {@code <!-- NAME:end -->} of the README.
 */
public final class ReadmeExamples {

    private ReadmeExamples() {
    }

    /**
     * @param source the test source holding the example region, relative to the module
     * @param readme the README
     * @param name the README markers' name, e.g. {@code micrometer-example}
     */
    public static void assertReadmeShows(Path source, Path readme, String name) {
        try {
            List<String> example = region(Files.readAllLines(source, StandardCharsets.UTF_8), source);
            String text = Files.readString(readme, StandardCharsets.UTF_8);
            int from = text.indexOf("<!-- " + name + ":start -->");
            int to = text.indexOf("<!-- " + name + ":end -->");
            assertThat(from).as("README has the %s markers", name).isNotNegative();
            assertThat(to).isGreaterThan(from);
            List<String> shown = text.substring(from, to).lines().map(String::strip).toList();
            assertThat(example).isNotEmpty();
            assertThat(String.join("\n", shown)).as("README's %s must equal the region of %s", name, source)
                    .contains(String.join("\n", example));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> region(List<String> lines, Path source) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("// README:start")) {
                start = i + 1;
            } else if (l.equals("// README:end")) {
                end = i;
            }
        }
        assertThat(start).as("%s has a // README:start line", source).isPositive();
        assertThat(end).as("%s has a // README:end line after it", source).isGreaterThanOrEqualTo(start);
        return lines.subList(start, end).stream().map(String::strip).toList();
    }
}
