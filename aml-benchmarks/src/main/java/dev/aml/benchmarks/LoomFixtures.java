package dev.aml.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/** Deterministic Loom-shaped test data for benchmarks. */
public final class LoomFixtures {

    private LoomFixtures() {
    }

    /**
     * @param count number of patterns
     * @param seed random seed
     * @return a {@code patterns.json} array as Loom's TypeScript runtime writes it (2-space indent)
     */
    public static byte[] patternsJson(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(count * 700).append("[\n");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(",\n");
            }
            double success = random.nextDouble();
            double confidence = random.nextDouble();
            int executions = random.nextInt(200);
            String ts = String.format(Locale.ROOT, "2026-%02d-%02dT%02d:%02d:%02d.%03dZ", 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    random.nextInt(1000));
            sb.append("  {\n")
                    .append("    \"id\": \"").append(uuid(random)).append("\",\n")
                    .append("    \"agent\": \"coder\",\n")
                    .append("    \"timestamp\": \"").append(ts).append("\",\n")
                    .append("    \"pattern\": {\n")
                    .append("      \"type\": \"error-handling\",\n")
                    .append("      \"context\": {\"language\": \"typescript\", \"framework\": \"express\"},\n")
                    .append("      \"approach\": {\"technique\": \"retry with exponential backoff ").append(i)
                    .append("\", \"rationale\": \"transient network faults recover within seconds\"},\n")
                    .append("      \"conditions\": {\"whenApplicable\": [\"http\", \"idempotent\"], ")
                    .append("\"whenNotApplicable\": [\"payments\"]}\n")
                    .append("    },\n")
                    .append("    \"metrics\": {\"successRate\": ").append(success)
                    .append(", \"executionCount\": ").append(executions)
                    .append(", \"avgTimeSavedMs\": ").append(random.nextInt(5000))
                    .append(", \"errorPreventionCount\": 0},\n")
                    .append("    \"evolution\": {\"created\": \"").append(ts).append("\", \"lastUsed\": \"").append(ts)
                    .append("\", \"refinements\": ").append(random.nextInt(10))
                    .append(", \"confidenceScore\": ").append(confidence).append("},\n")
                    .append("    \"tags\": [\"http\", \"tag").append(random.nextInt(20)).append("\"],\n")
                    .append("    \"active\": true\n")
                    .append("  }");
        }
        return sb.append("\n]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String uuid(SplittableRandom random) {
        String hex = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-4" + hex.substring(13, 16) + "-a"
                + hex.substring(17, 20) + "-" + hex.substring(20, 32);
    }
}
