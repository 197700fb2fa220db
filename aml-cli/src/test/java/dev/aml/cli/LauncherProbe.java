package dev.aml.cli;

/**
 * Stands in for the CLI's main class in {@link LauncherPathWithSpacesTest}: prints the command line it
 * was started with and then its arguments, one per line, so the test sees how the launcher split them.
 */
public final class LauncherProbe {

    private LauncherProbe() {
    }

    /**
     * @param args printed after the command line, each on a line starting with {@code arg:}
     */
    public static void main(String[] args) {
        // the whole command line after "java" (Linux /proc): the JVM options, -jar, the jar, the arguments
        for (String word : ProcessHandle.current().info().arguments().orElseThrow()) {
            System.out.println("jvm:" + word);
        }
        for (String arg : args) {
            System.out.println("arg:" + arg);
        }
    }
}
