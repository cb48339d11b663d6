package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.metrics.ServerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Checks a password under the lockout policy and issues the session token. */
@ApplicationScoped
public class LoginService {
    private final AccountStore accounts;
    private final LockoutPolicy lockout;
    private final SessionTokenStore tokens;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final ServerMetrics metrics;
    private final Event<LoggedIn> loggedIn;
    private final Event<LoggedOut> loggedOut;

    public LoginService(AccountStore accounts, LockoutPolicy lockout, SessionTokenStore tokens, PasswordHasher hasher,
            Clock clock, ServerMetrics metrics, Event<LoggedIn> loggedIn, Event<LoggedOut> loggedOut) {
        this.accounts = accounts;
        this.lockout = lockout;
        this.tokens = tokens;
        this.hasher = hasher;
        this.clock = clock;
        this.metrics = metrics;
        this.loggedIn = loggedIn;
        this.loggedOut = loggedOut;
    }

    public sealed interface Outcome {
        record Success(Account account, String token) implements Outcome {
        }

        /** Wrong password or no such user: deliberately indistinguishable. */
        record BadCredentials() implements Outcome {
        }

        /** Locked now ({@code justLocked} when this attempt caused it), for {@code remaining}. */
        record Locked(Duration remaining, boolean justLocked) implements Outcome {
        }
    }

    /** Fired after a successful login, before the new session connects: the old one must go. */
    public record LoggedIn(String key) {
    }

    public Outcome login(String username, String password) {
        String key = Username.key(username);
        Optional<Duration> locked = lockout.lockedFor(key);
        if (locked.isPresent()) {
            metrics.loginRefusedLocked();
            return new Outcome.Locked(locked.get(), false);
        }
        Optional<Account> account = accounts.find(username);
        boolean ok;
        if (account.isPresent()) {
            ok = hasher.verify(password, account.get().passwordHash());
        } else {
            hasher.verifyDecoy(password);
            ok = false;
        }
        if (!ok) {
            metrics.loginFailed();
            Optional<Duration> nowLocked = lockout.recordFailure(key);
            if (nowLocked.isPresent()) {
                metrics.lockout();
                return new Outcome.Locked(nowLocked.get(), true);
            }
            return new Outcome.BadCredentials();
        }
        lockout.recordSuccess(key);
        String token = tokens.issue(key, clock.millis());
        metrics.loginSucceeded();
        loggedIn.fire(new LoggedIn(key));
        return new Outcome.Success(account.get(), token);
    }

    /** Fired when an account's token is revoked: its session, if open, must end. */
    public record LoggedOut(String key) {
    }

    public Optional<String> accountFor(String token) {
        return tokens.resolve(token);
    }

    public void logout(String key) {
        tokens.revoke(key);
        loggedOut.fire(new LoggedOut(key));
    }
}
