/**
 * AML metrics for Micrometer: {@link dev.aml.micrometer.AmlMetrics}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core ships only an Automatic-Module-Name
module dev.aml.micrometer {
    requires transitive dev.aml.maintenance;
    requires transitive micrometer.core;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.aml.micrometer;
}
