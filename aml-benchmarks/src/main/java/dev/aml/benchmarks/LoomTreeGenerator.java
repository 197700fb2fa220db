package dev.aml.benchmarks;

import dev.aml.core.ItemKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a deterministic Loom memory tree for whole-process CLI benchmarks ({@code benchmarks/cli.sh}).
 *
 * <p>Shape (issue 16): {@code <out>/memory/<agentN>/patterns.json}, {@code solutions.json} and
 * {@code decisions.json} as Loom's TypeScript runtime writes them (2-space indent, camelCase), with
 * {@code items} patterns and {@code items / 3} solutions and decisions per agent, about 880 bytes per
 * item, creation and last-use dates spread over the two years before {@code now}, and about half of
 * the items prunable by {@code prune --strategies time_based performance_based} at the defaults
 * (patterns unused for over 90 days or failing, decisions older than 180 days or with a negative
 * outcome, solutions that did not work). The tree also has empty {@code global/} and {@code config/}
 * folders; the backup root {@code <out>/memory-backup} is not created.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.aml.benchmarks.LoomTreeGenerator <out> [agents]
 * [itemsPerAgent] [seed] [now-ISO]}; defaults 10 agents, 10,000 patterns, seed 16, now = the current
 * time truncated to the day. The same arguments always give the same bytes.
 */
public final class LoomTreeGenerator {

    /** Default number of agents. */
    public static final int DEFAULT_AGENTS = 10;
    /** Default number of patterns per agent (solutions and decisions get a third each). */
    public static final int DEFAULT_ITEMS = 10_000;
    /** Default seed. */
    public static final long DEFAULT_SEED = 16;

    private static final long DAY_MS = 86_400_000L;
    private static final String[] LANGUAGES = {"typescript", "java", "python", "go", "rust"};
    private static final String[] ERRORS = {"TypeError", "TimeoutError", "NullPointerException",
        "ECONNRESET", "OutOfMemoryError"};

    private final SplittableRandom random;
    private final Instant now;

    private LoomTreeGenerator(long seed, Instant now) {
        this.random = new SplittableRandom(seed);
        this.now = now;
    }

    /**
     * Command-line entry point.
     *
     * @param args {@code <out> [agents] [itemsPerAgent] [seed] [now-ISO]}
     * @throws IOException if the tree cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 5) {
            System.err.println("usage: LoomTreeGenerator <out-dir> [agents=10] [patterns-per-agent=10000] [seed=16] "
                    + "[now=today, e.g. 2026-12-07T00:00:00Z]");
            System.exit(64);
        }
        Path out = Path.of(args[0]);
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_AGENTS;
        int items = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_ITEMS;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : DEFAULT_SEED;
        Instant now = args.length > 4 ? Instant.parse(args[4]) : Instant.now().truncatedTo(ChronoUnit.DAYS);
        long bytes = generate(out, agents, items, seed, now);
        System.out.printf(Locale.ROOT, "wrote %s/memory: %d agents x (%d patterns + %d solutions + %d decisions), "
                + "%.1f MB%n", out, agents, items, items / 3, items / 3, bytes / 1e6);
    }

    /**
     * Writes the tree.
     *
     * @param out the folder that receives {@code memory/} (created if missing; must not hold a tree)
     * @param agents number of agents, at least 1
     * @param items patterns per agent, at least 0
     * @param seed random seed
     * @param now the instant dates are spread back from
     * @return the number of bytes written
     * @throws IOException if writing fails
     */
    public static long generate(Path out, int agents, int items, long seed, Instant now) throws IOException {
        if (agents < 1 || items < 0) {
            throw new IllegalArgumentException("agents must be >= 1 and items >= 0, got " + agents + ", " + items);
        }
        Path memory = out.resolve("memory");
        if (Files.exists(memory)) {
            throw new IllegalArgumentException(memory + " already exists; pick an empty output folder");
        }
        Files.createDirectories(memory.resolve("global"));
        Files.createDirectories(memory.resolve("config"));
        LoomTreeGenerator generator = new LoomTreeGenerator(seed, now);
        long bytes = 0;
        for (int a = 0; a < agents; a++) {
            String agent = String.format(Locale.ROOT, "agent%02d", a);
            Path dir = Files.createDirectories(memory.resolve(agent));
            bytes += generator.writeArray(dir.resolve("patterns.json"), items, (w, i) -> generator.pattern(w, agent, i));
            bytes += generator.writeArray(dir.resolve("solutions.json"), items / 3,
                    (w, i) -> generator.solution(w, agent, i));
            bytes += generator.writeArray(dir.resolve("decisions.json"), items / 3,
                    (w, i) -> generator.decision(w, agent, i));
        }
        return bytes;
    }

    @FunctionalInterface
    private interface ItemWriter {
        void write(StringBuilder sb, int index);
    }

    /**
     * One item file in memory, of the shape {@link #generate} writes (the same bytes as the file of
     * the kind of the first agent when the tree has only that kind): for decode benchmarks.
     *
     * @param kind the kind of the items
     * @param count the number of items
     * @param seed random seed
     * @param now the instant dates are spread back from
     * @return the file's bytes (ASCII)
     */
    public static byte[] itemsJson(ItemKind kind, int count, long seed, Instant now) {
        LoomTreeGenerator generator = new LoomTreeGenerator(seed, now);
        String agent = "agent00";
        ItemWriter item = switch (kind) {
            case PATTERN -> (sb, i) -> generator.pattern(sb, agent, i);
            case SOLUTION -> (sb, i) -> generator.solution(sb, agent, i);
            case DECISION -> (sb, i) -> generator.decision(sb, agent, i);
        };
        StringWriter out = new StringWriter(count * 1024);
        try {
            generator.writeArray(out, count, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private long writeArray(Path file, int count, ItemWriter item) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                1 << 16)) {
            return writeArray(w, count, item);
        }
    }

    private long writeArray(Writer w, int count, ItemWriter item) throws IOException {
        long bytes = 0;
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append('[');
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "\n" : ",\n");
            item.write(sb, i);
            if (sb.length() > 60_000) {
                bytes += flush(sb, w);
            }
        }
        sb.append(count == 0 ? "]" : "\n]");
        bytes += flush(sb, w);
        return bytes;
    }

    private static long flush(StringBuilder sb, Writer w) throws IOException {
        long n = sb.length(); // the generated text is ASCII
        w.append(sb);
        sb.setLength(0);
        return n;
    }

    /** Half the items were used recently (within 80 days), the rest at any time over two years. */
    private Instant lastUsed() {
        double days = random.nextBoolean() ? random.nextDouble() * 80 : random.nextDouble() * 730;
        return now.minusMillis((long) (days * DAY_MS));
    }

    private Instant createdBefore(Instant used) {
        long span = used.toEpochMilli() - now.minusMillis(730 * DAY_MS).toEpochMilli();
        return used.minusMillis((long) (random.nextDouble() * Math.max(span, 0)));
    }

    private String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static final String[] WORDS = ("retry backoff transient network fault cache invalidate stale read write lock "
            + "timeout budget circuit breaker idempotent request token refresh schema migration index query plan "
            + "batch stream buffer flush commit rollback replica leader quorum shard partition queue worker").split(" ");

    private void pattern(StringBuilder sb, String agent, int i) {
        Instant used = lastUsed();
        Instant created = createdBefore(used);
        // 12 % failing (success below 0.2), the rest healthy; confidence rarely below 0.15
        double success = random.nextInt(100) < 12 ? random.nextDouble() * 0.2 : 0.2 + random.nextDouble() * 0.8;
        double confidence = random.nextInt(100) < 3 ? random.nextDouble() * 0.15 : 0.15 + random.nextDouble() * 0.85;
        int lang = random.nextInt(LANGUAGES.length);
        sb.append("  {\n")
                .append("    \"id\": \"").append(uuid()).append("\",\n")
                .append("    \"agent\": \"").append(agent).append("\",\n")
                .append("    \"timestamp\": \"").append(created).append("\",\n")
                .append("    \"pattern\": {\n")
                .append("      \"type\": \"error-handling\",\n")
                .append("      \"context\": {\n")
                .append("        \"language\": \"").append(LANGUAGES[lang]).append("\"\n")
                .append("      },\n")
                .append("      \"approach\": {\n")
                .append("        \"technique\": \"").append(words(2)).append(' ').append(i).append("\",\n")
                .append("        \"rationale\": \"").append(words(4)).append("\"\n")
                .append("      },\n")
                .append("      \"conditions\": {\n")
                .append("        \"whenApplicable\": [\n          \"http\",\n          \"idempotent\"\n        ],\n")
                .append("        \"whenNotApplicable\": [\n          \"payments\"\n        ]\n")
                .append("      }\n")
                .append("    },\n")
                .append("    \"metrics\": {\n")
                .append("      \"successRate\": ").append(success).append(",\n")
                .append("      \"executionCount\": ").append(random.nextInt(200)).append(",\n")
                .append("      \"avgTimeSavedMs\": ").append(random.nextInt(5000)).append(",\n")
                .append("      \"errorPreventionCount\": 0\n")
                .append("    },\n")
                .append("    \"evolution\": {\n")
                .append("      \"created\": \"").append(created).append("\",\n")
                .append("      \"lastUsed\": \"").append(used).append("\",\n")
                .append("      \"refinements\": ").append(random.nextInt(10)).append(",\n")
                .append("      \"confidenceScore\": ").append(confidence).append('\n')
                .append("    },\n")
                .append("    \"tags\": [\n      \"http\",\n      \"tag").append(random.nextInt(20)).append("\"\n    ],\n")
                .append("    \"active\": true\n")
                .append("  }");
    }

    private void solution(StringBuilder sb, String agent, int i) {
        Instant created = lastUsed();
        boolean worked = random.nextInt(100) >= 20;
        sb.append("  {\n")
                .append("    \"id\": \"").append(uuid()).append("\",\n")
                .append("    \"agent\": \"").append(agent).append("\",\n")
                .append("    \"timestamp\": \"").append(created).append("\",\n")
                .append("    \"problem\": {\n")
                .append("      \"errorType\": \"").append(ERRORS[random.nextInt(ERRORS.length)]).append("\",\n")
                .append("      \"errorMessage\": \"").append(words(6)).append(' ').append(i).append("\",\n")
                .append("      \"stackTraceHash\": \"").append(uuid().replace("-", "")).append("\",\n")
                .append("      \"context\": {\n")
                .append("        \"language\": \"").append(LANGUAGES[random.nextInt(LANGUAGES.length)]).append("\"\n")
                .append("      }\n")
                .append("    },\n")
                .append("    \"solution\": {\n")
                .append("      \"rootCause\": \"").append(words(4)).append("\",\n")
                .append("      \"fixApproach\": \"").append(words(5)).append("\",\n")
                .append("      \"codeFix\": \"").append(words(2)).append("\",\n")
                .append("      \"prevention\": \"").append(words(3)).append("\"\n")
                .append("    },\n")
                .append("    \"effectiveness\": {\n")
                .append("      \"worked\": ").append(worked).append(",\n")
                .append("      \"timeToFixMinutes\": ").append(random.nextInt(240)).append(",\n")
                .append("      \"preventedRecurrence\": ").append(random.nextInt(5)).append(",\n")
                .append("      \"relatedErrorsFixed\": ").append(random.nextInt(3)).append('\n')
                .append("    },\n")
                .append("    \"tags\": [\n      \"bugfix\"\n    ],\n")
                .append("    \"active\": true,\n")
                .append("    \"verifiedCount\": ").append(1 + random.nextInt(4)).append('\n')
                .append("  }");
    }

    private void decision(StringBuilder sb, String agent, int i) {
        Instant created = lastUsed();
        boolean repeat = random.nextInt(100) >= 10;
        boolean negative = random.nextInt(100) < 8;
        sb.append("  {\n")
                .append("    \"id\": \"").append(uuid()).append("\",\n")
                .append("    \"agent\": \"").append(agent).append("\",\n")
                .append("    \"timestamp\": \"").append(created).append("\",\n")
                .append("    \"decision\": {\n")
                .append("      \"type\": \"architecture\",\n")
                .append("      \"question\": \"").append(words(4)).append(' ').append(i).append("?\",\n")
                .append("      \"context\": {\n")
                .append("        \"language\": \"").append(LANGUAGES[random.nextInt(LANGUAGES.length)]).append("\"\n")
                .append("      },\n")
                .append("      \"chosenOption\": \"").append(words(3)).append("\",\n")
                .append("      \"alternativesConsidered\": [\n")
                .append("        \"").append(words(3)).append("\"\n")
                .append("      ],\n")
                .append("      \"decisionFactors\": {\n")
                .append("        \"primary\": [\n          \"").append(words(2)).append("\"\n        ],\n")
                .append("        \"secondary\": []\n")
                .append("      },\n")
                .append("      \"rationale\": \"").append(words(3)).append("\"\n")
                .append("    },\n")
                .append("    \"outcome\": {\n")
                .append("      \"successMetrics\": {\n")
                .append("        \"maintainability\": ").append(metric(negative)).append('\n')
                .append("      },\n")
                .append("      \"lessonsLearned\": [\n        \"").append(words(2)).append("\"\n      ],\n")
                .append("      \"wouldRepeat\": ").append(repeat).append('\n')
                .append("    },\n")
                .append("    \"tags\": [\n      \"design\"\n    ],\n")
                .append("    \"active\": true\n")
                .append("  }");
    }

    /** A success metric; a negative outcome has a mean below 0.5. */
    private double metric(boolean negative) {
        return negative ? random.nextDouble() * 0.45 : 0.55 + random.nextDouble() * 0.45;
    }

    private String uuid() {
        String hex = Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-4" + hex.substring(13, 16) + "-a"
                + hex.substring(17, 20) + "-" + hex.substring(20, 32);
    }
}
