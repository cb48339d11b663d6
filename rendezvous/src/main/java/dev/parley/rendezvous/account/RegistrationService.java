package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.core.AccountStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/** Self-registration, and the password rules it enforces. */
@ApplicationScoped
public class RegistrationService {
    public static final int MIN_PASSWORD_CHARS = 8;

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final HashGate gate;
    private final Clock clock;
    private final boolean open;

    public RegistrationService(AccountStore accounts, PasswordHasher hasher, HashGate gate, Clock clock,
            ParleyConfig config) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.gate = gate;
        this.clock = clock;
        this.open = config.registration();
    }

    public sealed interface Outcome {
        record Created(String username) implements Outcome {
        }

        record Closed() implements Outcome {
        }

        record Invalid(String reason) implements Outcome {
        }

        record Taken() implements Outcome {
        }

        /** The name reads like an existing one at a glance (the other name is not revealed). */
        record Confusable() implements Outcome {
        }

        /** Too many passwords are being hashed at once: nothing was created, try again soon. */
        record Busy() implements Outcome {
        }
    }

    public Outcome register(String username, String password) {
        if (!open) {
            return new Outcome.Closed();
        }
        Optional<String> problem = Username.problem(username).or(() -> passwordProblem(password));
        if (problem.isPresent()) {
            return new Outcome.Invalid(problem.get());
        }
        if (accounts.confusableWith(username).isPresent()) {
            return new Outcome.Confusable();
        }
        String hash;
        try {
            hash = gate.run(() -> hasher.hash(password));
        } catch (HashGate.Busy busy) {
            return new Outcome.Busy();
        }
        return accounts.create(username, hash, clock.millis())
                ? new Outcome.Created(username)
                : new Outcome.Taken();
    }

    static Optional<String> passwordProblem(String password) {
        if (password == null || password.length() < MIN_PASSWORD_CHARS) {
            return Optional.of("password must be at least " + MIN_PASSWORD_CHARS + " characters");
        }
        if (password.length() > Limits.MAX_PASSWORD_CHARS) {
            return Optional.of("password must be at most " + Limits.MAX_PASSWORD_CHARS + " characters");
        }
        return Optional.empty();
    }
}
