package dev.parley.rendezvous.storage;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the annotated test class only when a PostgreSQL server is configured
 * ({@link PostgresTestDatabase#URL_ENV}). Without one the class is skipped, with a note on how to
 * run it, except under {@code CI=true}, where it fails instead. Being a condition, it is evaluated
 * before any test instance exists, so a {@code @QuarkusTest} never boots without the database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (PostgresTestDatabase.url().isPresent()) {
                return ConditionEvaluationResult.enabled(PostgresTestDatabase.URL_ENV + " is set");
            }
            if (PostgresTestDatabase.inCi()) {
                throw new IllegalStateException(PostgresTestDatabase.missingInCiMessage());
            }
            System.err.println("[" + context.getDisplayName() + "] " + PostgresTestDatabase.skipMessage());
            return ConditionEvaluationResult.disabled(PostgresTestDatabase.skipMessage());
        }
    }
}
