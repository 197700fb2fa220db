import java.security.MessageDigest;
import java.util.Random;

/**
 * SHA-256 of 143 MB (1 MiB updates) three times in one thread, to compare JIT settings (issue 16):
 * {@code java -XX:TieredStopAtLevel=1 benchmarks/probes/Sha256Throughput.java} vs without the flag.
 */
public class Sha256Throughput {
    public static void main(String[] args) throws Exception {
        byte[] buf = new byte[1 << 20];
        new Random(1).nextBytes(buf);
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 143; i++) {
                md.update(buf);
            }
            md.digest();
            System.out.printf("143 MB SHA-256: %.1f ms%n", (System.nanoTime() - start) / 1e6);
        }
    }
}
