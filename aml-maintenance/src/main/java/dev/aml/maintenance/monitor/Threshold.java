package dev.aml.maintenance.monitor;

/**
 * A warning and a critical level for one measured value, and which direction is bad.
 *
 * <p>For "higher is worse" values (sizes, ages, latencies) a value at or above a level reaches it,
 * as Loom's monitor compares ({@code >=}). For "lower is worse" values (success and hit rates) a
 * value strictly below a level reaches it (the project's rule for rates: strict {@code <}).
 *
 * @param warning the warning level
 * @param critical the critical level
 * @param higherIsWorse whether larger values are worse
 */
public record Threshold(double warning, double critical, boolean higherIsWorse) {

    /**
     * Validates the levels.
     *
     * @throws IllegalArgumentException if a level is not finite or the critical level is not beyond the warning
     */
    public Threshold {
        boolean neverCritical = higherIsWorse && critical == Double.POSITIVE_INFINITY;
        if (!Double.isFinite(warning) || !(Double.isFinite(critical) || neverCritical)) {
            throw new IllegalArgumentException("threshold levels must be finite (critical may be +Infinity for"
                    + " 'higher is worse': never critical), got warning=" + warning + " critical=" + critical);
        }
        if (higherIsWorse ? critical < warning : critical > warning) {
            throw new IllegalArgumentException("critical level " + critical + " must be "
                    + (higherIsWorse ? "at or above" : "at or below") + " the warning level " + warning);
        }
    }

    /**
     * @param warning the warning level
     * @param critical the critical level
     * @return a threshold where larger values are worse
     */
    public static Threshold atLeast(double warning, double critical) {
        return new Threshold(warning, critical, true);
    }

    /**
     * @param warning the warning level
     * @param critical the critical level
     * @return a threshold where smaller values are worse
     */
    public static Threshold below(double warning, double critical) {
        return new Threshold(warning, critical, false);
    }

    /**
     * @param warning the only level
     * @return a "higher is worse" threshold that is never critical (index and backup age)
     */
    public static Threshold warningAt(double warning) {
        return new Threshold(warning, Double.POSITIVE_INFINITY, true);
    }

    /**
     * @param value a measured value
     * @return the status the value reaches
     */
    public HealthStatus evaluate(double value) {
        if (reaches(value, critical)) {
            return HealthStatus.CRITICAL;
        }
        if (reaches(value, warning)) {
            return HealthStatus.WARNING;
        }
        return HealthStatus.HEALTHY;
    }

    private boolean reaches(double value, double level) {
        return higherIsWorse ? value >= level : value < level;
    }
}
