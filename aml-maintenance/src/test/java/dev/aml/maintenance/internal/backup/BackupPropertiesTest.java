package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of backup chains: every point restores exactly; rotation never breaks what it keeps. */
class BackupPropertiesTest {

    static final List<String> AGENTS = List.of("coder", "reviewer", "planner", "tester");

    /** One change to the tree between backups. */
    record Mutation(int agent, ItemKind kind, int items, boolean delete, long seed) {
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, AGENTS.size() - 1),
                Arbitraries.of(ItemKind.class), Arbitraries.integers().between(0, 6), Arbitraries.of(true, false,
                        false, false), Arbitraries.longs()).as(Mutation::new);
    }

    static void apply(Path root, Mutation m) {
        String agent = AGENTS.get(m.agent());
        Path file = root.resolve(agent).resolve(m.kind().fileName());
        if (m.delete()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return;
        }
        List<MemoryItem> items = new ArrayList<>();
        java.util.Random r = new java.util.Random(m.seed());
        for (int i = 0; i < m.items(); i++) {
            String id = agent + "-" + Long.toHexString(r.nextLong());
            items.add(switch (m.kind()) {
                case PATTERN -> TestItems.pattern(id, agent, r.nextDouble(), r.nextInt(50), r.nextDouble(),
                        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(r.nextInt(10_000_000)));
                case SOLUTION -> TestItems.solution(id, agent, r.nextBoolean());
                case DECISION -> TestItems.decision(id, agent, r.nextBoolean());
            });
        }
        Trees.writeItems(root, agent, m.kind(), items);
    }

    static Map<String, List<MemoryItem>> items(Path root) {
        Map<String, List<MemoryItem>> out = new TreeMap<>();
        for (String agent : AGENTS) {
            for (ItemKind kind : ItemKind.values()) {
                Path f = root.resolve(agent).resolve(kind.fileName());
                if (Files.exists(f)) {
                    out.put(agent + "/" + kind.fileName(), Trees.LOOM.read(f, kind));
                }
            }
        }
        return out;
    }

    @Property(tries = 15)
    void everyPointOfAChainRestoresExactly(@ForAll @Size(min = 1, max = 6) List<@From("mutations") Mutation> initial,
            @ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 3) List<@From("mutations") Mutation>> rounds)
            throws IOException {
        Path tmp = Files.createTempDirectory("aml-prop");
        try {
            Path root = tmp.resolve("memory");
            Files.createDirectories(root);
            initial.forEach(m -> apply(root, m));
            MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
            BackupEngine engine = new BackupEngine(MemoryStore.inMemory(), root, BackupConfig.defaults().toBuilder()
                    .codec("lz4").build(), clock, ProgressListener.none());
            Map<String, SortedMap<String, String>> bytesAt = new HashMap<>();
            Map<String, Map<String, List<MemoryItem>>> itemsAt = new HashMap<>();
            BackupInfo full = engine.createFull("");
            bytesAt.put(full.id(), Trees.backedUp(root));
            itemsAt.put(full.id(), items(root));
            for (List<Mutation> round : rounds) {
                round.forEach(m -> apply(root, m));
                clock.advance(Duration.ofMinutes(7));
                BackupInfo incr = engine.createIncremental("");
                bytesAt.put(incr.id(), Trees.backedUp(root));
                itemsAt.put(incr.id(), items(root));
            }
            int n = 0;
            for (String id : bytesAt.keySet()) {
                Path target = tmp.resolve("restore-" + n++);
                engine.restore(id, target);
                assertThat(items(target)).as(id).isEqualTo(itemsAt.get(id));
                assertThat(Trees.snapshot(target)).as(id).isEqualTo(bytesAt.get(id));
            }
        } finally {
            BackupEngine.deleteTree(tmp);
        }
    }

    /** One step of a backup history. */
    record Op(int kind, int days, long seed) {
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 9),
                Arbitraries.longs()).as(Op::new);
    }

    @Property(tries = 12)
    void afterAnyCreateRotateSequenceEveryRemainingBackupRestores(
            @ForAll @Size(min = 1, max = 10) List<@From("ops") Op> ops,
            @ForAll @IntRange(min = 0, max = 10) int retentionDays, @ForAll @IntRange(min = 1, max = 4) int max)
            throws IOException {
        Path tmp = Files.createTempDirectory("aml-rot");
        try {
            Path root = Trees.sample(tmp.resolve("memory"));
            MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
            BackupEngine engine = new BackupEngine(MemoryStore.inMemory(), root, BackupConfig.defaults().toBuilder()
                    .retentionDays(retentionDays).maxBackups(max).codec("none").build(), clock,
                    ProgressListener.none());
            Map<String, SortedMap<String, String>> bytesAt = new HashMap<>();
            String[] lastCreated = {engine.createFull("").id()};
            bytesAt.put(lastCreated[0], Trees.backedUp(root));
            for (Op op : ops) {
                apply(root, new Mutation((int) (op.seed() & 3), ItemKind.values()[(int) ((op.seed() >>> 2) & 1)],
                        1, false, op.seed()));
                switch (op.kind()) {
                    case 0 -> {
                        BackupInfo b = engine.createFull("");
                        bytesAt.put(b.id(), Trees.backedUp(root));
                        lastCreated[0] = b.id();
                    }
                    case 1, 2 -> {
                        BackupInfo b = engine.createIncremental("");
                        bytesAt.put(b.id(), Trees.backedUp(root));
                        lastCreated[0] = b.id();
                    }
                    default -> engine.rotate(false);
                }
                clock.advance(Duration.ofDays(op.days()).plusMinutes(1));
            }
            engine.rotate(false);
            List<BackupInfo> left = engine.list();
            assertThat(left).isNotEmpty().allMatch(BackupInfo::complete);
            assertThat(left.size()).isLessThanOrEqualTo(bytesAt.size());
            int n = 0;
            for (BackupInfo b : left) {
                assertThat(engine.verify(b.id(), false).problems()).as(b.id()).isEmpty();
                Path target = tmp.resolve("r" + n++);
                engine.restore(b.id(), target);
                assertThat(Trees.snapshot(target)).as(b.id()).isEqualTo(bytesAt.get(b.id()));
            }
            // the newest backup always survives rotation
            assertThat(left.get(0).id()).isEqualTo(lastCreated[0]);
        } finally {
            BackupEngine.deleteTree(tmp);
        }
    }
}
