package dev.parley.rendezvous.throttle;

import dev.parley.rendezvous.config.ParleyConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's rate limits, each per client address (or per user) and overall: logins,
 * registrations, requests for a direct link, punch steps, and observed-address requests. Kept in memory per server instance.
 */
@ApplicationScoped
public class Throttles {
    private final RateLimiter logins;
    private final RateLimiter registrations;
    private final RateLimiter consentRequests;
    private final RateLimiter punches;
    private final RateLimiter observedAddresses;

    public Throttles(ParleyConfig config, Clock clock) {
        ParleyConfig.RateLimits limits = config.rateLimit();
        this.logins = new RateLimiter(Rate.parse(limits.loginPerAddress()), Rate.parse(limits.login()), clock);
        this.registrations = new RateLimiter(Rate.parse(limits.registerPerAddress()), Rate.parse(limits.register()), clock);
        this.consentRequests = new RateLimiter(Rate.parse(limits.getaddressPerUser()), Rate.parse(limits.getaddress()),
                clock);
        this.punches = new RateLimiter(Rate.parse(limits.punchPerPair()), Rate.parse(limits.punch()), clock);
        this.observedAddresses = new RateLimiter(Rate.parse(limits.observedAddressPerUser()),
                Rate.parse(limits.observedAddress()), clock);
    }

    /** A login from this address: empty if it may go ahead, otherwise how long to wait. */
    public Optional<Duration> login(String address) {
        return logins.acquire(ClientAddress.key(address));
    }

    public Optional<Duration> registration(String address) {
        return registrations.acquire(ClientAddress.key(address));
    }

    /** A {@code getaddress} from this user (account key). */
    public Optional<Duration> consentRequest(String userKey) {
        return consentRequests.acquire(userKey);
    }

    /** A {@code punch} step from one user to another (account keys): limited per pair, each way apart. */
    public Optional<Duration> punch(String senderKey, String targetKey) {
        return punches.acquire(senderKey + " " + targetKey);
    }

    /** An observed-address request from this user (account key). */
    public Optional<Duration> observedAddress(String userKey) {
        return observedAddresses.acquire(userKey);
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetIdle() {
        logins.forgetIdle();
        registrations.forgetIdle();
        consentRequests.forgetIdle();
        punches.forgetIdle();
        observedAddresses.forgetIdle();
    }
}
