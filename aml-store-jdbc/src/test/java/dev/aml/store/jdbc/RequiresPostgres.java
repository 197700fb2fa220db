package dev.aml.store.jdbc;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips every test of the annotated class, with a message saying how to get a server, when no
 * PostgreSQL is configured (see {@link PostgresServer}); in CI ({@code CI=true}) it fails them instead.
 */
final class RequiresPostgres implements ExecutionCondition {

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (PostgresServer.URL != null) {
            return ConditionEvaluationResult.enabled("PostgreSQL at " + PostgresServer.URL);
        }
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("decided per test");
        }
        PostgresServer.failInCi();
        if (!WARNED.getAndSet(true)) {
            System.err.println("SKIPPED: " + PostgresServer.MISSING);
        }
        return ConditionEvaluationResult.disabled(PostgresServer.MISSING);
    }
}
