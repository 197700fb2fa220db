package dev.aml.maintenance;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a {@link MaintenanceScheduler} task runs: daily, weekly or monthly at a local time, in the
 * scheduler clock's zone (like cron).
 *
 * @param kind daily, weekly or monthly
 * @param time the local time of day
 * @param dayOfWeek the day for weekly schedules, else {@code null}
 * @param dayOfMonth the day (1-28) for monthly schedules, else 0
 */
public record Schedule(Kind kind, LocalTime time, @Nullable DayOfWeek dayOfWeek, int dayOfMonth) {

    /** How often. */
    public enum Kind {
        /** Every day. */
        DAILY,
        /** Once a week. */
        WEEKLY,
        /** Once a month. */
        MONTHLY
    }

    /**
     * Validates the combination.
     *
     * @throws IllegalArgumentException if the day fields do not match the kind, or the day of month is not 1-28
     */
    public Schedule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        if ((kind == Kind.WEEKLY) != (dayOfWeek != null)) {
            throw new IllegalArgumentException("dayOfWeek must be set exactly for weekly schedules, got " + kind
                    + " with " + dayOfWeek);
        }
        if (kind == Kind.MONTHLY ? dayOfMonth < 1 || dayOfMonth > 28 : dayOfMonth != 0) {
            throw new IllegalArgumentException("dayOfMonth must be 1-28 for monthly schedules (every month has"
                    + " it) and 0 otherwise, got " + dayOfMonth + " for " + kind);
        }
    }

    /**
     * @param time local time of day
     * @return every day at {@code time}
     */
    public static Schedule daily(LocalTime time) {
        return new Schedule(Kind.DAILY, time, null, 0);
    }

    /**
     * @param day the day of the week
     * @param time local time of day
     * @return every week on {@code day} at {@code time}
     */
    public static Schedule weekly(DayOfWeek day, LocalTime time) {
        return new Schedule(Kind.WEEKLY, time, day, 0);
    }

    /**
     * @param dayOfMonth 1-28
     * @param time local time of day
     * @return every month on {@code dayOfMonth} at {@code time}
     */
    public static Schedule monthly(int dayOfMonth, LocalTime time) {
        return new Schedule(Kind.MONTHLY, time, null, dayOfMonth);
    }

    /**
     * @param after a moment
     * @return the first run strictly after {@code after}, in its zone
     */
    public ZonedDateTime nextAfter(ZonedDateTime after) {
        ZonedDateTime candidate = switch (kind) {
            case DAILY -> after.with(time);
            case WEEKLY -> after.with(TemporalAdjusters.nextOrSame(Objects.requireNonNull(dayOfWeek))).with(time);
            case MONTHLY -> after.withDayOfMonth(dayOfMonth).with(time);
        };
        while (!candidate.isAfter(after)) {
            candidate = switch (kind) {
                case DAILY -> candidate.plusDays(1).with(time);
                case WEEKLY -> candidate.plusWeeks(1).with(time);
                case MONTHLY -> candidate.plusMonths(1).withDayOfMonth(dayOfMonth).with(time);
            };
        }
        return candidate;
    }

    /** @return the cron expression of this schedule, e.g. {@code 0 3 * * 0} */
    public String cron() {
        String t = time.getMinute() + " " + time.getHour();
        return switch (kind) {
            case DAILY -> t + " * * *";
            case WEEKLY -> t + " * * " + Objects.requireNonNull(dayOfWeek).getValue() % 7;
            case MONTHLY -> t + " " + dayOfMonth + " * *";
        };
    }
}
