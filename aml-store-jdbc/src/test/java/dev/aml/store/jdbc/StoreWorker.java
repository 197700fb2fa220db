package dev.aml.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child JVM of {@link MultiProcessTest}: a second "host" on the same database.
 *
 * <pre>
 * StoreWorker update SCHEMA THREADS PER_THREAD   # recordOutcome-style updates of pattern p1 of agent coder
 * StoreWorker lock SCHEMA OPERATION              # hold the maintenance lock until stdin closes
 * </pre>
 * Connection settings come from the environment (AML_TEST_JDBC_URL, _USER, _PASSWORD).
 */
public final class StoreWorker {

    private StoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv("AML_TEST_JDBC_URL"));
        config.setUsername(System.getenv("AML_TEST_JDBC_USER"));
        config.setPassword(System.getenv("AML_TEST_JDBC_PASSWORD"));
        config.setMaximumPoolSize(8);
        try (HikariDataSource pool = new HikariDataSource(config);
                JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(pool).schema(args[1]).build()) {
            switch (args[0]) {
                case "update" -> update(store, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "lock" -> lock(store, args[2]);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    private static void update(JdbcMemoryStore store, int threads, int perThread) throws Exception {
        AgentId coder = AgentId.of("coder");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Outcome outcome = (thread + i) % 2 == 0 ? Outcome.success() : Outcome.failure();
                        store.update(coder, ItemKind.PATTERN, "p1",
                                item -> ((Pattern) item).withOutcome(outcome, TestItems.NOW, 0.1));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("DONE " + (long) threads * perThread);
    }

    private static void lock(JdbcMemoryStore store, String operation) throws Exception {
        try (MaintenanceLock lock = store.lockMaintenance(operation)) {
            System.out.println("LOCKED " + lock.operation());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // hold the lock until the parent closes our stdin
            }
        }
        System.out.println("RELEASED");
    }
}
