package dev.aml.store;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of the crash and two-process tests. Modes:
 * <ul>
 *   <li>{@code crash <root> <round> <seed>}: writes with SYNC durability forever (adds, updates,
 *       deletes, explicit and background checkpoints) and prints {@code ACK ...} after each
 *       acknowledged write, until the parent kills it;</li>
 *   <li>{@code hold <root>}: opens the tree read-write, prints {@code READY}, then writes pairs of
 *       items in one atomic batch each ({@code a-N} and {@code b-N}) with frequent checkpoints until
 *       stdin closes or says {@code stop}.</li>
 * </ul>
 */
public final class StoreChild {

    static final AgentId[] AGENTS = {AgentId.of("coder"), AgentId.of("tester")};

    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "crash" -> crash(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), out);
            case "hold" -> hold(Path.of(args[1]), out);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void crash(Path root, int round, long seed, PrintStream out) {
        Random random = new Random(seed);
        FileMemoryStore store = FileMemoryStore.builder(root).durability(Durability.SYNC).checkpointBytes(8 * 1024)
                .open();
        out.println("OPEN");
        for (int n = 0; ; n++) {
            AgentId agent = AGENTS[random.nextInt(AGENTS.length)];
            List<MemoryItem> existing = store.items(agent, ItemKind.PATTERN);
            int op = random.nextInt(10);
            if (op < 4 || existing.isEmpty()) {
                String id = "r" + round + "-" + n;
                store.apply(List.of(Change.upsert(agent, TestItems.pattern(id, agent.name()))));
                out.println("ACK ADD " + agent + " " + id + " END");
            } else if (op < 8) {
                String id = existing.get(random.nextInt(existing.size())).id();
                MemoryItem after = store.update(agent, ItemKind.PATTERN, id,
                        p -> ((Pattern) p).withOutcome(Outcome.success(), TestItems.NOW, 0.1));
                out.println("ACK UPD " + agent + " " + id + " " + after.executionCount() + " END");
            } else if (op < 9) {
                String id = existing.get(random.nextInt(existing.size())).id();
                out.println("BEGIN DEL " + agent + " " + id + " END");
                store.apply(List.of(Change.delete(agent, ItemKind.PATTERN, id)));
                out.println("ACK DEL " + agent + " " + id + " END");
            } else {
                store.checkpoint();
                out.println("ACK CHECKPOINT END");
            }
        }
    }

    private static void hold(Path root, PrintStream out) throws Exception {
        try (FileMemoryStore store = FileMemoryStore.builder(root).durability(Durability.BATCH)
                .checkpointBytes(4 * 1024).open()) {
            AgentId agent = AGENTS[0];
            store.apply(pair(agent, 0));
            store.checkpoint();
            out.println("READY " + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            // stopped the way applications stop workers, by Thread.interrupt(), most likely while it is inside the
            // store: the store must finish that call, keep the flag set for the loop to see, and close cleanly
            // (before the store did its I/O on its own threads, this closed the journal's FileChannel)
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int n = 1; !Thread.currentThread().isInterrupted(); n++) {
                        store.apply(pair(agent, n));
                        if (n % 7 == 0) {
                            store.checkpoint();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            if ("write".equals(in.readLine())) {
                writer.setDaemon(true);
                writer.start();
                in.readLine();
                writer.interrupt();
                writer.join();
                if (failure.get() != null) {
                    throw new AssertionError("the interrupted writer failed", failure.get()); // no CLOSED line
                }
            }
        }
        out.println("CLOSED");
    }

    /** Two items that must always be seen together: one batch writes both. */
    static List<Change> pair(AgentId agent, int n) {
        List<Change> changes = new ArrayList<>();
        changes.add(Change.upsert(agent, TestItems.pattern("a-" + n, agent.name())));
        changes.add(Change.upsert(agent, TestItems.pattern("b-" + n, agent.name())));
        return changes;
    }
}
