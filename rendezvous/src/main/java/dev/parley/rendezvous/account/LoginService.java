package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.core.Account;
import dev.parley.rendezvous.core.AccountStore;
import dev.parley.rendezvous.metrics.ServerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks a password under the lockout policy and issues the session token (and a device token).
 *
 * <p>Lockout follows OWASP's device-cookie defence, so that an attacker cannot lock the owner out:
 * a client that presents a device token this account was given at an earlier login is judged by
 * its own wrong passwords only; every other client shares the username's counter, and N wrong
 * passwords from any of them lock the name for everyone but known devices.
 */
@ApplicationScoped
public class LoginService {
    private final AccountStore accounts;
    private final LockoutPolicy lockout;
    private final SessionTokenStore tokens;
    private final DeviceStore devices;
    private final PasswordHasher hasher;
    private final HashGate gate;
    private final Clock clock;
    private final ServerMetrics metrics;
    private final Event<LoggedIn> loggedIn;
    private final Event<LoggedOut> loggedOut;

    public LoginService(AccountStore accounts, LockoutPolicy lockout, SessionTokenStore tokens, DeviceStore devices,
            PasswordHasher hasher, HashGate gate, Clock clock, ServerMetrics metrics, Event<LoggedIn> loggedIn,
            Event<LoggedOut> loggedOut) {
        this.accounts = accounts;
        this.lockout = lockout;
        this.tokens = tokens;
        this.devices = devices;
        this.hasher = hasher;
        this.gate = gate;
        this.clock = clock;
        this.metrics = metrics;
        this.loggedIn = loggedIn;
        this.loggedOut = loggedOut;
    }

    public sealed interface Outcome {
        record Success(Account account, String token, String device) implements Outcome {
        }

        /** Wrong password or no such user: deliberately indistinguishable. */
        record BadCredentials() implements Outcome {
        }

        /** Locked now ({@code justLocked} when this attempt caused it), for {@code remaining}. */
        record Locked(Duration remaining, boolean justLocked) implements Outcome {
        }

        /** Too many passwords are being checked at once: nothing was checked, try again soon. */
        record Busy() implements Outcome {
        }
    }

    /** Fired after a successful login, before the new session connects: the old one must go. */
    public record LoggedIn(String key) {
    }

    /** {@code deviceToken} is what this client got at its last login here, or null. */
    public Outcome login(String username, String password, String deviceToken) {
        try {
            return gate.run(() -> check(username, password, deviceToken));
        } catch (HashGate.Busy busy) {
            metrics.loginBusy();
            return new Outcome.Busy();
        }
    }

    private Outcome check(String username, String password, String deviceToken) {
        String key = Username.key(username);
        Optional<String> device = deviceToken == null ? Optional.empty() : devices.find(deviceToken, key);
        String counter = device.map(LockoutPolicy::device).orElse(LockoutPolicy.anyClient(key));
        Optional<LockoutPolicy.Refused> refused = lockout.reserve(counter);
        if (refused.isPresent() && refused.get().locked()) {
            metrics.loginRefusedLocked();
            return new Outcome.Locked(refused.get().remaining(), false);
        }
        if (refused.isPresent()) {
            // The last allowed attempts are being checked right now: a moment later they have settled.
            metrics.loginBusy();
            return new Outcome.Busy();
        }
        Optional<Account> account;
        boolean ok;
        try {
            account = accounts.find(username);
            if (account.isPresent()) {
                ok = hasher.verify(password, account.get().passwordHash());
            } else {
                hasher.verifyDecoy(password);
                ok = false;
            }
        } catch (RuntimeException e) {
            lockout.failed(counter); // settle the reservation: an attempt that broke counts as a failure
            throw e;
        }
        if (!ok) {
            metrics.loginFailed();
            Optional<Duration> nowLocked = lockout.failed(counter);
            if (nowLocked.isPresent()) {
                metrics.lockout();
                return new Outcome.Locked(nowLocked.get(), true);
            }
            return new Outcome.BadCredentials();
        }
        lockout.succeeded(counter);
        long now = clock.millis();
        String token = tokens.issue(key, now);
        String nextDevice = devices.issue(key, device, now);
        metrics.loginSucceeded();
        loggedIn.fire(new LoggedIn(key));
        return new Outcome.Success(account.get(), token, nextDevice);
    }

    /** Fired when an account's token is revoked: its session, if open, must end. */
    public record LoggedOut(String key) {
    }

    /** The account whose current, unexpired session token this is. */
    public Optional<String> accountFor(String token) {
        return tokens.resolve(token, clock.millis());
    }

    /** A session opened with the account's token ended now: the token's idle age starts from here. */
    public void sessionEnded(String key) {
        tokens.used(key, clock.millis());
    }

    public void logout(String key) {
        tokens.revoke(key);
        loggedOut.fire(new LoggedOut(key));
    }
}
