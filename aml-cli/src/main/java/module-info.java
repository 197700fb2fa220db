/** The {@code aml} command line: {@code aml <memory-path> <command> ...}. */
module dev.aml.cli {
    requires dev.aml.maintenance;
    requires dev.aml.store.jdbc;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static org.jspecify;

    exports dev.aml.cli;
    opens dev.aml.cli to info.picocli;
}
