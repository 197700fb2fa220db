import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * CPU time of deflating every file of a tree at one gzip level in one thread: the floor a backup at
 * that level cannot go below (issue 16). {@code java benchmarks/probes/DeflateLevels.java <dir> <level>}.
 */
public class DeflateLevels {
    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        int level = Integer.parseInt(args[1]);
        byte[] out = new byte[1 << 16];
        long in = 0;
        long packed = 0;
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            in += b.length;
            Deflater d = new Deflater(level, true);
            d.setInput(b);
            d.finish();
            while (!d.finished()) {
                packed += d.deflate(out);
            }
            d.end();
        }
        System.out.printf("level %d: %d MB -> %d MB, thread CPU %.2f s, wall %.2f s%n", level, in >> 20, packed >> 20,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e9,
                (System.nanoTime() - wall) / 1e9);
    }
}
