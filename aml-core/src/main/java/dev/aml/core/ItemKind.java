package dev.aml.core;

/** The three kinds of memory an agent keeps, each in one JSON array file per agent. */
public enum ItemKind {
    /** Approaches that worked, with learned success rate and confidence; {@code patterns.json}. */
    PATTERN("patterns.json", "pattern"),
    /** Fixes for errors; {@code solutions.json}. */
    SOLUTION("solutions.json", "solution"),
    /** Choices and their outcomes; {@code decisions.json}. */
    DECISION("decisions.json", "decision");

    private final String fileName;
    private final String label;

    ItemKind(String fileName, String label) {
        this.fileName = fileName;
        this.label = label;
    }

    /** @return the item file's name inside an agent folder, e.g. {@code patterns.json} */
    public String fileName() {
        return fileName;
    }

    /** @return the singular lower-case label Loom uses, e.g. {@code pattern} */
    public String label() {
        return label;
    }

    /**
     * @param fileName a file name such as {@code patterns.json} or {@code patterns.json.gz}
     * @return the kind stored in that file, or {@code null} when the name is not an item file
     */
    public static @org.jspecify.annotations.Nullable ItemKind forFileName(String fileName) {
        for (ItemKind kind : values()) {
            if (fileName.equals(kind.fileName) || fileName.equals(kind.fileName + ".gz")) {
                return kind;
            }
        }
        return null;
    }
}
