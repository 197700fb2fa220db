package dev.aml.core;

import java.util.Locale;
import java.util.Set;

/**
 * The validated name of an agent, safe to use as one path segment under the memory root.
 *
 * <p>Agent names come from callers and from directory listings of trees other tools wrote, so they
 * are treated as hostile: a name is rejected when it is empty or blank, longer than
 * {@value #MAX_LENGTH} characters, {@code "."} or {@code ".."}, contains a path separator
 * ({@code /} or {@code \}), a NUL or any other control character, a {@code :} (a drive or stream
 * separator on Windows), starts with a dot (hidden folders such as {@code .git} are never agents),
 * or is one of the reserved folder names of a Loom tree ({@link #RESERVED}, compared
 * case-insensitively). No {@code AgentId} can make AML touch a path outside the memory root.
 *
 * @param name the agent name, exactly as given
 */
public record AgentId(String name) implements Comparable<AgentId> {

    /** Longest accepted name, in characters. */
    public static final int MAX_LENGTH = 128;

    /**
     * Folder names of a Loom memory tree that are never agents: {@code global}, {@code config},
     * {@code monitoring} (Loom's own folders), and {@code backup} and {@code audit}, which Loom's
     * TypeScript runtime creates beside its agents.
     */
    public static final Set<String> RESERVED = Set.of("global", "config", "monitoring", "backup", "audit");

    /**
     * Validates {@code name}.
     *
     * @throws InvalidInputException naming the rule the name breaks
     */
    public AgentId {
        String problem = problem(name);
        if (problem != null) {
            throw new InvalidInputException("Invalid agent name " + quote(name) + ": " + problem
                    + ". Use 1-" + MAX_LENGTH + " printable characters without '/', '\\', ':' or a leading dot.");
        }
    }

    /**
     * @param name the agent name
     * @return the validated id
     * @throws InvalidInputException naming the rule the name breaks
     */
    public static AgentId of(String name) {
        return new AgentId(name);
    }

    /**
     * @param name a candidate name, for instance a directory found in a tree
     * @return whether {@link #of(String)} would accept it
     */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null) {
            return "it is null";
        }
        if (name.isEmpty() || name.isBlank()) {
            return "it is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "it is " + name.length() + " characters long (the limit is " + MAX_LENGTH + ")";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'.' and '..' are not names";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "it contains a path separator at index " + i;
            }
            if (c == ':') {
                return "it contains ':' at index " + i;
            }
            if (c == 0) {
                return "it contains a NUL character at index " + i;
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                return "it contains a control character (U+" + String.format(Locale.ROOT, "%04X", (int) c)
                        + ") at index " + i;
            }
        }
        if (name.startsWith(".")) {
            return "it starts with a dot";
        }
        if (!name.equals(name.strip())) {
            return "it starts or ends with whitespace";
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return "'" + name + "' is a reserved folder name of the memory tree " + RESERVED;
        }
        return null;
    }

    private static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int limit = Math.min(name.length(), 40);
        for (int i = 0; i < limit; i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (name.length() > limit) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    @Override
    public int compareTo(AgentId other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
