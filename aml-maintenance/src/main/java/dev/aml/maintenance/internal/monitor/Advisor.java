package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.Advice;
import dev.aml.maintenance.Advice.Action;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.MemoryMetrics;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.monitor.QueryPerformance;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The quick reference's decision matrix as a pure function of a health run and the thresholds. */
public final class Advisor {

    /** Above this share of a limit: prune (time + performance). */
    public static final double PRUNE_AT = 0.70;
    /** Above this share of a limit: prune with all strategies, aggressive. */
    public static final double AGGRESSIVE_AT = 0.85;

    private static final double MIB = 1024.0 * 1024.0;

    private Advisor() {
    }

    /**
     * @param h a health run
     * @param config the thresholds
     * @return the steps the matrix calls for, each once, with reasons
     */
    public static List<Advice.Step> steps(HealthReport h, MonitorConfig config) {
        List<Advice.Step> steps = new ArrayList<>();
        Set<Action> seen = EnumSet.noneOf(Action.class);
        MemoryMetrics m = h.metrics().memory();
        double globalShare = m.totalSizeBytes() / MIB / config.globalMemoryMb().critical();
        double agentShare = m.largestAgentSizeBytes() / MIB / config.agentMemoryMb().critical();
        boolean byAgent = agentShare > globalShare;
        double share = Math.max(globalShare, agentShare);
        String which = byAgent
                ? String.format(Locale.ROOT, "agent %s uses %.1f MB, %.0f%% of the %s MB agent limit", m.largestAgent(),
                        m.largestAgentSizeBytes() / MIB, agentShare * 100, num(config.agentMemoryMb().critical()))
                : String.format(Locale.ROOT, "memory uses %.1f MB, %.0f%% of the %s MB global limit",
                        m.totalSizeBytes() / MIB, globalShare * 100, num(config.globalMemoryMb().critical()));
        if (share > AGGRESSIVE_AT) {
            add(steps, seen, Action.PRUNE_AGGRESSIVE, which + " (over 85%): prune with all strategies, aggressive");
        } else if (share > PRUNE_AT) {
            add(steps, seen, Action.PRUNE, which + " (over 70%): prune time- and performance-based");
        }
        QueryPerformance p = h.metrics().performance();
        PerformanceSample sample = PerformanceSample.of(p, config);
        Optional<Double> avg = sample.judgedAvgQueryMillis(p);
        if (avg.isPresent() && avg.get() > config.queryTimeMillis().warning()) {
            String why = String.format(Locale.ROOT, "average query %.2f ms is over %s ms", avg.get(),
                    num(config.queryTimeMillis().warning()));
            add(steps, seen, Action.REBUILD_INDEX, why + ": rebuild the index");
            add(steps, seen, Action.WARM_CACHE, why + ": warm the cache");
        }
        Optional<Double> rate = sample.judgedHitRate(p);
        if (rate.isPresent() && rate.get() < config.cacheHitRate().warning()) {
            add(steps, seen, Action.WARM_CACHE, String.format(Locale.ROOT,
                    "cache hit rate %.1f%% is under %.0f%%: warm the cache with more patterns", rate.get() * 100,
                    config.cacheHitRate().warning() * 100));
        }
        h.check(HealthCheck.INDEX_EXISTS).filter(c -> c.status() != HealthStatus.HEALTHY)
                .ifPresent(c -> add(steps, seen, Action.REBUILD_INDEX, c.message()));
        if (seen.contains(Action.PRUNE) || seen.contains(Action.PRUNE_AGGRESSIVE)) {
            add(steps, seen, Action.BACKUP, "before pruning: automatic backup");
        } else if (m.totalSizeBytes() > 0) { // an empty tree has nothing to back up
            h.check(HealthCheck.RECENT_BACKUP).filter(c -> c.status() != HealthStatus.HEALTHY)
                    .ifPresent(c -> add(steps, seen, Action.BACKUP, c.message()));
        }
        return steps;
    }

    private static void add(List<Advice.Step> steps, Set<Action> seen, Action a, String reason) {
        if (seen.add(a)) {
            steps.add(new Advice.Step(a, reason));
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
