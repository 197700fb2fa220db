package dev.aml.maintenance.internal.backup;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which files of a memory tree a backup holds, by relative path {@code folder/name}:
 * <ul>
 *   <li>every regular file directly inside an agent folder (any valid {@link AgentId} folder), not
 *       only Loom's six names, so compressed {@code *.json.gz} item files are backed up too (Loom
 *       silently left them out);</li>
 *   <li>every regular file directly inside {@code global/} except the store's own lock and journal
 *       files, which describe a running store and must never be restored;</li>
 *   <li>every regular file directly inside {@code config/}, so {@code schema_version.json} comes
 *       back with the items it describes (migration rollback relies on this).</li>
 * </ul>
 * Not included: {@code monitoring/} (regenerated), hidden and temporary files, symbolic links and
 * sub-folders (nothing outside the memory root is ever followed).
 */
public final class BackupFiles {

    /** The non-agent folders whose files are backed up. */
    public static final java.util.List<String> SHARED_FOLDERS = java.util.List.of("global", "config");

    private BackupFiles() {
    }

    /**
     * @param root the memory root
     * @return relative path to file, sorted
     * @throws BackupException if the root cannot be listed
     */
    public static SortedMap<String, Path> scan(Path root) {
        SortedMap<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                boolean shared = SHARED_FOLDERS.contains(name);
                if (!shared && !AgentId.isValid(name)) {
                    continue;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path f : entries) {
                        String fn = f.getFileName().toString();
                        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && included(name, fn)) {
                            files.put(name + "/" + fn, f);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new BackupException("The memory root " + root + " does not exist; nothing was backed up.", e);
        } catch (IOException e) {
            throw new BackupException("Cannot list the memory root " + root + ": " + e.getMessage()
                    + "; nothing was backed up.", e);
        }
        return files;
    }

    /**
     * @param folder the folder under the memory root
     * @param name a file name in it
     * @return whether backups hold that file
     */
    public static boolean included(String folder, String name) {
        if (name.startsWith(".") || name.endsWith(".tmp")) {
            return false;
        }
        if (folder.equals("global")) {
            String n = name.toLowerCase(Locale.ROOT);
            return !(n.endsWith(".lock") || n.contains("journal") || n.endsWith(".wal"));
        }
        return true;
    }

    /**
     * Checks a relative path read from a manifest before any file is written from it, so a tampered
     * manifest cannot make a restore write outside its target.
     *
     * @param rel a relative path such as {@code coder/patterns.json}
     * @return whether it is exactly {@code <agent|global|config>/<plain file name>}
     */
    public static boolean safeRelative(String rel) {
        int slash = rel.indexOf('/');
        if (slash <= 0 || slash != rel.lastIndexOf('/')) {
            return false;
        }
        String folder = rel.substring(0, slash);
        String name = rel.substring(slash + 1);
        boolean folderOk = SHARED_FOLDERS.contains(folder) || AgentId.isValid(folder);
        return folderOk && !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('\\') < 0
                && name.indexOf('\0') < 0 && name.indexOf(':') < 0;
    }
}
