package dev.aml.cli;

import picocli.CommandLine.Command;

/** {@code aml <path> monitor health|metrics|alerts|report}. */
@Command(name = "monitor", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "OPERATION",
        subcommands = {MonitorCommand.Health.class, MonitorCommand.Metrics.class, MonitorCommand.Alerts.class, MonitorCommand.Report.class},
        description = "Health checks, metrics, alerts and the JSON report.")
final class MonitorCommand {

    /** {@code health}. */
    @Command(name = "health", mixinStandardHelpOptions = true, description = "Run the six health checks.")
    static final class Health extends LeafCommand {
        @Override
        public Integer call() {
            openManager().close();
            return notImplemented();
        }
    }

    /** {@code metrics}. */
    @Command(name = "metrics", mixinStandardHelpOptions = true, description = "Sizes and counts per agent.")
    static final class Metrics extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code alerts}. */
    @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Active alerts.")
    static final class Alerts extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }

    /** {@code report}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "One JSON document: memory, performance, health_checks, alerts.")
    static final class Report extends LeafCommand {
        @Override
        public Integer call() {
            return notImplemented();
        }
    }
}
