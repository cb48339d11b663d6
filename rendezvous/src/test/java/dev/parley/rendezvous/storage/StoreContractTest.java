package dev.parley.rendezvous.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.rendezvous.core.Account;
import dev.parley.rendezvous.core.AccountStore;
import dev.parley.rendezvous.account.DeviceStore;
import dev.parley.rendezvous.account.LockoutPolicy;
import dev.parley.rendezvous.account.LoginFailureStore;
import dev.parley.rendezvous.account.SessionTokenStore;
import dev.parley.rendezvous.core.BlockStore;
import dev.parley.rendezvous.consent.ContactStore;
import dev.parley.rendezvous.consent.IdentityStore;
import dev.parley.rendezvous.relay.MessageStore;
import dev.parley.rendezvous.relay.StoredMessage;
import dev.parley.testsupport.ManualClock;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every store must do on every database the server supports. A subclass supplies a data
 * source on an empty database or schema, which the real Flyway migrations build once per class
 * (after a clean); each test then starts with every table empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContractTest {
    private static final int ATTEMPTS = 3;
    private static final Duration LOCK = Duration.ofSeconds(60);
    private static final long T0 = 1_700_000_000_000L;
    private static final Duration TOKEN_MAX_AGE = Duration.ofHours(168);
    private static final Duration TOKEN_IDLE = Duration.ofHours(24);

    private AgroalDataSource dataSource;

    protected AccountStore accounts;
    protected LoginFailureStore failures;
    protected SessionTokenStore tokens;
    protected DeviceStore devices;
    protected BlockStore blocks;
    protected ContactStore contacts;
    protected IdentityStore identities;
    protected MessageStore messages;
    protected ManualClock clock;
    protected LockoutPolicy lockout;

    /** Where to connect: an empty database or schema this class may use alone. */
    protected record Target(String jdbcUrl, String user, String password, String schema) {
    }

    /** Prepares the database for this class and says how to reach it. May abort the class. */
    protected abstract Target openDatabaseTarget();

    /**
     * Releases what {@link #openDatabaseTarget()} made, before the pool closes; runs even if that
     * aborted or was never called.
     */
    protected abstract void closeDatabaseTarget();

    @BeforeAll
    void openDatabase() throws SQLException {
        Target target = openDatabaseTarget();
        dataSource = pool(target);
        var config = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").cleanDisabled(false);
        if (target.schema() != null) {
            config.schemas(target.schema());
        }
        Flyway flyway = config.load();
        flyway.clean();
        flyway.migrate();
    }

    @AfterAll
    void closeDatabase() {
        try {
            closeDatabaseTarget();
        } finally {
            if (dataSource != null) {
                dataSource.close();
            }
        }
    }

    /** An Agroal pool, as the server uses (autocommit, connections reused). */
    private static AgroalDataSource pool(Target target) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(4).connectionFactoryConfiguration(factory -> {
                    factory.jdbcUrl(target.jdbcUrl()).autoCommit(true).principal(new NamePrincipal(target.user()));
                    if (target.password() != null) {
                        factory.credential(new SimplePassword(target.password()));
                    }
                    if (target.schema() != null) {
                        factory.jdbcProperty("currentSchema", target.schema());
                    }
                    return factory;
                })));
    }

    @BeforeEach
    void emptyTables() {
        // children first: session_token, user_block and contact reference account
        for (String table : List.of("session_token", "device_token", "user_block", "contact", "stored_message",
                "login_failure", "account")) {
            execute("delete from " + table);
        }
        Jdbc jdbc = new Jdbc(dataSource);
        accounts = new AccountStore(jdbc);
        failures = new LoginFailureStore(jdbc);
        tokens = new SessionTokenStore(jdbc, TOKEN_MAX_AGE, TOKEN_IDLE);
        devices = new DeviceStore(jdbc);
        blocks = new BlockStore(jdbc);
        contacts = new ContactStore(jdbc);
        identities = new IdentityStore(jdbc);
        messages = new MessageStore(jdbc);
        seq = 0;
        clock = new ManualClock(Instant.ofEpochMilli(T0));
        lockout = new LockoutPolicy(failures, clock, ATTEMPTS, LOCK);
    }

    protected boolean opened() {
        return dataSource != null;
    }

    protected void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void account(String username) {
        assertTrue(accounts.create(username, "hash-of-" + username, T0), () -> "create " + username);
    }

    // --- accounts ---------------------------------------------------------------------------

    @Test
    void accountCreateAndFindInAnyCase() {
        assertTrue(accounts.create("Alice", "hash-1", T0));
        Account expected = new Account("alice", "Alice", "hash-1");
        assertEquals(Optional.of(expected), accounts.find("Alice"));
        assertEquals(Optional.of(expected), accounts.find("alice"));
        assertEquals(Optional.of(expected), accounts.find("ALICE"));
    }

    @Test
    void accountFindUnknownIsEmpty() {
        account("Alice");
        assertEquals(Optional.empty(), accounts.find("bob"));
    }

    @Test
    void accountDuplicateRefusedWhateverTheCase() {
        assertTrue(accounts.create("Alice", "hash-1", T0));
        assertFalse(accounts.create("Alice", "hash-2", T0 + 1));
        assertFalse(accounts.create("ALICE", "hash-3", T0 + 2));
        assertFalse(accounts.create("alice", "hash-4", T0 + 3));
        assertEquals(Optional.of(new Account("alice", "Alice", "hash-1")), accounts.find("alice"));
    }

    @Test
    void accountLongestNameAndHashFit() {
        String name = "A".repeat(32);
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$" + "h".repeat(200);
        assertTrue(accounts.create(name, hash, T0));
        assertEquals(hash, accounts.find(name).orElseThrow().passwordHash());
    }

    @Test
    void accountPasswordUpdate() {
        account("Alice");
        account("Bob");
        accounts.updatePasswordHash("alice", "new-hash");
        assertEquals("new-hash", accounts.find("Alice").orElseThrow().passwordHash());
        assertEquals("hash-of-Bob", accounts.find("Bob").orElseThrow().passwordHash());
    }

    @Test
    void accountMarkSeenAndSeenSince() {
        account("Alice");
        account("Bob");
        account("Carol"); // never seen
        assertEquals(List.of(), accounts.seenSince(0));

        accounts.markSeen("alice", T0 + 1_000);
        accounts.markSeen("bob", T0 + 2_000);
        assertEquals(Set.of("Alice", "Bob"), Set.copyOf(accounts.seenSince(T0)));
        assertEquals(Set.of("Alice", "Bob"), Set.copyOf(accounts.seenSince(T0 + 1_000)));
        assertEquals(List.of("Bob"), accounts.seenSince(T0 + 1_001));
        assertEquals(List.of("Bob"), accounts.seenSince(T0 + 2_000));
        assertEquals(List.of(), accounts.seenSince(T0 + 2_001));

        accounts.markSeen("alice", T0 + 3_000); // seen again later
        assertEquals(List.of("Alice"), accounts.seenSince(T0 + 2_001));
    }

    // --- login failures and lockout ------------------------------------------------------------

    @Test
    void loginAttemptsAreReservedUpToTheLimitPerCounter() {
        assertEquals(Optional.empty(), failures.get("alice"));
        for (int i = 1; i <= ATTEMPTS; i++) {
            assertTrue(failures.reserve("alice", T0 + i, ATTEMPTS, T0 - 1), "attempt " + i);
        }
        assertFalse(failures.reserve("alice", T0 + 10, ATTEMPTS, T0 - 1), "none left, though none settled yet");
        assertTrue(failures.reserve("nobody", T0 + 2, ATTEMPTS, T0 - 1), "names without an account count too");
        assertEquals(Optional.of(new LoginFailureStore.State(ATTEMPTS, 0)), failures.get("alice"));
        assertEquals(Optional.of(new LoginFailureStore.State(1, 0)), failures.get("nobody"));
    }

    @Test
    void aSpentAllowanceLocksOnceAndTheCountRestartsAfterTheLock() {
        assertTrue(failures.reserve("alice", T0, ATTEMPTS, T0 - 1));
        assertFalse(failures.lockIfExhausted("alice", ATTEMPTS, T0 + 60_000, T0), "one failure is not enough");
        for (int i = 1; i < ATTEMPTS; i++) {
            assertTrue(failures.reserve("alice", T0, ATTEMPTS, T0 - 1));
        }
        assertTrue(failures.lockIfExhausted("alice", ATTEMPTS, T0 + 60_000, T0));
        assertFalse(failures.lockIfExhausted("alice", ATTEMPTS, T0 + 60_000, T0), "the others in flight do not lock again");
        assertEquals(Optional.of(new LoginFailureStore.State(0, T0 + 60_000)), failures.get("alice"));
        assertFalse(failures.reserve("alice", T0 + 59_999, ATTEMPTS, T0 - 1), "locked");
        assertTrue(failures.reserve("alice", T0 + 60_000, ATTEMPTS, T0 - 1), "the lock is over");
        failures.clear("alice");
        assertEquals(Optional.empty(), failures.get("alice"));
    }

    @Test
    void reservationsAbandonedByACrashLapse() {
        for (int i = 0; i < ATTEMPTS; i++) {
            assertTrue(failures.reserve("alice", T0, ATTEMPTS, T0 - 1));
        }
        // The server died before settling them; after a lock's length they no longer hold the name.
        assertFalse(failures.reserve("alice", T0 + 59_000, ATTEMPTS, T0 + 59_000 - 60_000));
        assertTrue(failures.reserve("alice", T0 + 61_000, ATTEMPTS, T0 + 61_000 - 60_000));
        assertEquals(Optional.of(new LoginFailureStore.State(1, 0)), failures.get("alice"));
    }

    @Test
    void loginFailurePurgeKeepsLocksInForceAndRecentRows() {
        failures.reserve("old", T0, ATTEMPTS, T0 - 1);
        for (int i = 0; i < ATTEMPTS; i++) {
            failures.reserve("locked", T0, ATTEMPTS, T0 - 1);
        }
        failures.lockIfExhausted("locked", ATTEMPTS, T0 + 100_000, T0);
        failures.reserve("recent", T0 + 50_000, ATTEMPTS, T0 - 1);
        assertEquals(1, failures.purge(T0 + 10_000, T0 + 60_000));
        assertEquals(Optional.empty(), failures.get("old"));
        assertTrue(failures.get("locked").isPresent());
        assertTrue(failures.get("recent").isPresent());
    }

    /** What a login does with the policy: reserve, check, then settle as failed or succeeded. */
    private Optional<Duration> wrongPassword(String counter) {
        Optional<LockoutPolicy.Refused> refused = lockout.reserve(counter);
        return refused.isPresent() ? refused.map(LockoutPolicy.Refused::remaining) : lockout.failed(counter);
    }

    private static Optional<LockoutPolicy.Refused> locked(Duration remaining) {
        return Optional.of(new LockoutPolicy.Refused(true, remaining));
    }

    @Test
    void lockoutAfterNFailures() {
        for (int i = 1; i < ATTEMPTS; i++) {
            assertEquals(Optional.empty(), wrongPassword("alice"), "failure " + i);
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(Optional.of(LOCK), wrongPassword("alice"));
        assertEquals(locked(LOCK), lockout.reserve("alice"), "even the right password is not checked");
        assertEquals(Optional.empty(), lockout.reserve("bob"), "a lock is per counter");
    }

    @Test
    void parallelGuessesGetNoMoreThanTheAllowanceChecked() {
        // N reservations taken before any is settled: the next is refused though nothing is locked yet.
        for (int i = 0; i < ATTEMPTS; i++) {
            assertEquals(Optional.empty(), lockout.reserve("alice"));
        }
        assertEquals(Optional.of(new LockoutPolicy.Refused(false, Duration.ofSeconds(1))), lockout.reserve("alice"),
                "not locked yet: the allowance is in use, and settles in a moment");
        assertEquals(Optional.of(LOCK), lockout.failed("alice"), "the first to settle locks");
        assertEquals(Optional.empty(), lockout.failed("alice"));
        assertEquals(Optional.empty(), lockout.failed("alice"));
        assertEquals(locked(LOCK), lockout.reserve("alice"));
    }

    @Test
    void lockoutExpires() {
        for (int i = 0; i < ATTEMPTS; i++) {
            wrongPassword("alice");
        }
        clock.advance(Duration.ofSeconds(59));
        assertEquals(locked(Duration.ofSeconds(1)), lockout.reserve("alice"));
        clock.advance(Duration.ofMillis(999));
        assertEquals(locked(Duration.ofMillis(1)), lockout.reserve("alice"));
        clock.advance(Duration.ofMillis(1));

        // the count started again when the lock was set: N more failures to lock again
        for (int i = 1; i < ATTEMPTS; i++) {
            assertEquals(Optional.empty(), wrongPassword("alice"));
        }
        assertEquals(Optional.of(LOCK), wrongPassword("alice"));
    }

    @Test
    void lockoutSuccessResetsTheCount() {
        for (int i = 1; i < ATTEMPTS; i++) {
            wrongPassword("alice");
        }
        assertEquals(Optional.empty(), lockout.reserve("alice"));
        lockout.succeeded("alice");
        assertEquals(Optional.empty(), failures.get("alice"));
        for (int i = 1; i < ATTEMPTS; i++) {
            assertEquals(Optional.empty(), wrongPassword("alice"));
        }
        assertEquals(Optional.of(LOCK), wrongPassword("alice"));
    }

    @Test
    void lockoutNeedsAtLeastOneAttempt() {
        assertThrows(IllegalArgumentException.class, () -> new LockoutPolicy(failures, clock, 0, LOCK));
    }

    // --- session tokens ------------------------------------------------------------------------

    @Test
    void sessionTokenIssueAndResolve() {
        account("Alice");
        String token = tokens.issue("alice", T0);
        assertTrue(token.length() >= 43, "256 random bits, base64url: " + token);
        assertEquals(Optional.of("alice"), tokens.resolve(token, T0 + 2));
        assertEquals(Optional.empty(), tokens.resolve(token + "x", T0));
        assertEquals(Optional.empty(), tokens.resolve(null, T0 + 2));
        assertEquals(Optional.empty(), tokens.resolve("", T0 + 2));
        assertEquals(Optional.empty(), tokens.resolve("x".repeat(101), T0 + 2));
    }

    @Test
    void sessionTokenSecondIssueRevokesTheFirst() {
        account("Alice");
        account("Bob");
        String first = tokens.issue("alice", T0);
        String bobs = tokens.issue("bob", T0);
        String second = tokens.issue("alice", T0 + 1);
        assertNotEquals(first, second);
        assertEquals(Optional.empty(), tokens.resolve(first, T0 + 2));
        assertEquals(Optional.of("alice"), tokens.resolve(second, T0 + 2));
        assertEquals(Optional.of("bob"), tokens.resolve(bobs, T0 + 2), "another account's token is untouched");
    }

    @Test
    void sessionTokenRevoke() {
        account("Alice");
        String token = tokens.issue("alice", T0);
        tokens.revoke("alice");
        assertEquals(Optional.empty(), tokens.resolve(token, T0 + 2));
        tokens.revoke("alice"); // already gone: not an error
        String again = tokens.issue("alice", T0 + 1);
        assertEquals(Optional.of("alice"), tokens.resolve(again, T0 + 2));
    }

    @Test
    void sessionTokenExpiresByAgeAndByDisuse() {
        account("Alice");
        String token = tokens.issue("alice", T0);
        long idle = TOKEN_IDLE.toMillis();
        assertEquals(Optional.of("alice"), tokens.resolve(token, T0 + idle - 1), "used: the idle age starts again");
        assertEquals(Optional.of("alice"), tokens.resolve(token, T0 + 2 * idle - 2));
        tokens.used("alice", T0 + 3 * idle - 3); // a session with it ended then
        assertEquals(Optional.empty(), tokens.resolve(token, T0 + 4 * idle - 2), "unused for the idle age");

        String fresh = tokens.issue("alice", T0);
        long max = TOKEN_MAX_AGE.toMillis();
        for (long t = T0 + idle / 2; t < T0 + max; t += idle / 2) {
            assertEquals(Optional.of("alice"), tokens.resolve(fresh, t)); // kept in use
        }
        assertEquals(Optional.empty(), tokens.resolve(fresh, T0 + max), "too old, however much used");
    }

    // --- devices ---------------------------------------------------------------------------------

    @Test
    void deviceTokensBelongToOneAccountAndAreReplacedAtEachLogin() {
        account("Alice");
        account("Bob");
        String device = devices.issue("alice", Optional.empty(), T0);
        Optional<String> hash = devices.find(device, "alice");
        assertTrue(hash.isPresent());
        assertEquals(Optional.empty(), devices.find(device, "bob"), "not another account's device");
        assertEquals(Optional.empty(), devices.find("made-up", "alice"));
        assertEquals(Optional.empty(), devices.find(null, "alice"));

        String next = devices.issue("alice", hash, T0 + 1);
        assertEquals(Optional.empty(), devices.find(device, "alice"), "the old token is replaced");
        assertTrue(devices.find(next, "alice").isPresent());
    }

    @Test
    void anAccountKeepsItsMostRecentDevices() {
        account("Alice");
        String oldest = devices.issue("alice", Optional.empty(), T0);
        for (int i = 1; i <= 20; i++) {
            devices.issue("alice", Optional.empty(), T0 + i);
        }
        assertEquals(Optional.empty(), devices.find(oldest, "alice"));
    }

    // --- blocks --------------------------------------------------------------------------------

    @Test
    void blockAddDuplicateAndRemove() {
        account("Alice");
        account("Bob");
        assertFalse(blocks.blocks("alice", "bob"));
        assertTrue(blocks.add("alice", "bob", T0));
        assertFalse(blocks.add("alice", "bob", T0 + 1), "already blocked");
        assertTrue(blocks.blocks("alice", "bob"));
        assertFalse(blocks.blocks("bob", "alice"), "a block has a direction");

        assertTrue(blocks.remove("alice", "bob"));
        assertFalse(blocks.remove("alice", "bob"), "no such block any more");
        assertFalse(blocks.blocks("alice", "bob"));
        assertTrue(blocks.add("alice", "bob", T0 + 2), "can block again");
    }

    @Test
    void blockedByIsSortedIgnoringCase() {
        for (String name : List.of("Alice", "dave", "Bob", "carol", "Erin")) {
            account(name);
        }
        assertEquals(List.of(), blocks.blockedBy("alice"));
        blocks.add("alice", "erin", T0);
        blocks.add("alice", "dave", T0);
        blocks.add("alice", "bob", T0);
        blocks.add("alice", "carol", T0);
        blocks.add("bob", "alice", T0);
        assertEquals(List.of("Bob", "carol", "dave", "Erin"), blocks.blockedBy("alice"));
        assertEquals(List.of("Alice"), blocks.blockedBy("bob"));
    }

    @Test
    void blockedEitherWay() {
        for (String name : List.of("Alice", "Bob", "Carol", "Dave")) {
            account(name);
        }
        blocks.add("alice", "bob", T0);
        blocks.add("carol", "alice", T0);
        blocks.add("alice", "dave", T0);
        blocks.add("dave", "alice", T0); // both ways: listed once
        assertEquals(Set.of("bob", "carol", "dave"), blocks.blockedEitherWay("alice"));
        assertEquals(Set.of("alice"), blocks.blockedEitherWay("bob"));
        assertEquals(Set.of("alice"), blocks.blockedEitherWay("carol"));
        assertEquals(Set.of(), blocks.blockedEitherWay("nobody"));
    }

    // --- contacts ------------------------------------------------------------------------------

    @Test
    void aContactIsAnUnorderedPairAddedOnce() {
        account("Alice");
        account("Bob");
        account("Carol");
        assertFalse(contacts.contacts("alice", "bob"));
        assertTrue(contacts.add("bob", "alice", T0));
        assertFalse(contacts.add("alice", "bob", T0 + 1), "the same pair, the other way round");
        assertTrue(contacts.contacts("alice", "bob"));
        assertTrue(contacts.contacts("bob", "alice"));
        assertFalse(contacts.contacts("alice", "carol"));

        assertTrue(contacts.remove("alice", "bob"));
        assertFalse(contacts.remove("bob", "alice"), "gone, whichever side asks");
        assertFalse(contacts.contacts("bob", "alice"));
        assertTrue(contacts.add("alice", "bob", T0 + 2), "can become contacts again");
    }

    @Test
    void contactsOfAUserFromEitherSideSortedWithTheirIdentityKeys() {
        for (String name : List.of("Alice", "dave", "Bob", "carol", "Erin")) {
            account(name);
        }
        assertEquals(List.of(), contacts.of("alice"));
        contacts.add("alice", "dave", T0);
        contacts.add("carol", "alice", T0);
        contacts.add("bob", "alice", T0);
        contacts.add("bob", "erin", T0);
        identities.setKey("carol", "carol-identity-key");

        assertEquals(List.of(new ContactStore.Contact("bob", "Bob", Optional.empty()),
                new ContactStore.Contact("carol", "carol", Optional.of("carol-identity-key")),
                new ContactStore.Contact("dave", "dave", Optional.empty())), contacts.of("alice"));
        assertEquals(List.of("Alice", "Erin"), contacts.of("bob").stream().map(ContactStore.Contact::username).toList());
        assertEquals(List.of(), contacts.of("nobody"));
    }

    @Test
    void aDeletedAccountTakesItsContactsWithIt() {
        account("Alice");
        account("Bob");
        contacts.add("alice", "bob", T0);
        execute("delete from account where username_key = 'bob'");
        assertEquals(List.of(), contacts.of("alice"));
    }

    // --- stored messages -----------------------------------------------------------------------

    @Test
    void messagesPendingInOrderOfSeq() {
        store("m1", "alice", "Alice", "bob", "one", T0 + 3);
        store("m2", "carol", "Carol", "bob", "two", T0 + 1); // order is arrival, not sent_at
        store("c1", "alice", "Alice", "carol", "for carol", T0 + 2);
        store("m3", "alice", "Alice", "bob", "three", T0 + 2);

        List<StoredMessage> pending = messages.pending("bob", 0, 10);
        assertEquals(List.of("m1", "m2", "m3"), ids(pending));
        StoredMessage first = pending.get(0);
        assertEquals("Alice", first.sender());
        assertEquals("bob", first.recipientKey());
        assertEquals("one", first.body());
        assertEquals(T0 + 3, first.sentAt());
        assertTrue(pending.get(0).seq() < pending.get(1).seq() && pending.get(1).seq() < pending.get(2).seq());
        assertEquals(List.of("c1"), ids(messages.pending("carol", 0, 10)));
        assertEquals(List.of(), messages.pending("alice", 0, 10));
    }

    @Test
    void messagesPagedAfterSeqWithLimit() {
        for (int i = 1; i <= 5; i++) {
            store("m" + i, "alice", "Alice", "bob", "text " + i, T0 + i);
        }
        List<StoredMessage> page1 = messages.pending("bob", 0, 2);
        assertEquals(List.of("m1", "m2"), ids(page1));
        List<StoredMessage> page2 = messages.pending("bob", page1.get(1).seq(), 2);
        assertEquals(List.of("m3", "m4"), ids(page2));
        List<StoredMessage> page3 = messages.pending("bob", page2.get(1).seq(), 2);
        assertEquals(List.of("m5"), ids(page3));
        assertEquals(List.of(), messages.pending("bob", page3.get(0).seq(), 2));
        assertEquals(List.of("m1"), ids(messages.pending("bob", 0, 1)));
        assertEquals(5, messages.pending("bob", 0, 200).size());
    }

    @Test
    void messagesAcknowledgedOnlyByTheirRecipient() {
        store("m1", "alice", "Alice", "bob", "one", T0);
        store("m2", "alice", "Alice", "bob", "two", T0);
        assertEquals(2, messages.count("bob"));

        assertFalse(acknowledge("alice", "m1"), "the sender cannot remove it");
        assertFalse(acknowledge("carol", "m1"), "nor can anyone else");
        assertEquals(2, messages.count("bob"));

        assertTrue(acknowledge("bob", "m1"));
        assertFalse(acknowledge("bob", "m1"), "already gone");
        assertFalse(acknowledge("bob", "unknown"));
        assertEquals(1, messages.count("bob"));
        assertEquals(List.of("m2"), ids(messages.pending("bob", 0, 10)));
    }

    @Test
    void messagesCountPerRecipient() {
        assertEquals(0, messages.count("bob"));
        store("m1", "alice", "Alice", "bob", "one", T0);
        store("m2", "alice", "Alice", "carol", "two", T0);
        store("m3", "carol", "Carol", "bob", "three", T0);
        assertEquals(2, messages.count("bob"));
        assertEquals(1, messages.count("carol"));
        assertEquals(0, messages.count("alice"));
    }

    @Test
    void messagesLongestTextRoundTrips() {
        String ascii = "x".repeat(4096);
        String unicode = "\uD83D\uDE00é".repeat(1365) + "a"; // 4096 Java chars, surrogate pairs included
        assertEquals(4096, unicode.length());
        store("m1", "alice", "Alice", "bob", ascii, T0);
        store("m2", "alice", "Alice", "bob", unicode, T0);
        List<StoredMessage> pending = messages.pending("bob", 0, 10);
        assertEquals(ascii, pending.get(0).body());
        assertEquals(unicode, pending.get(1).body());
    }

    @Test
    void aGroupIsWrittenInOneTransactionAndSaysWhatWasStoredAlready() {
        store("m1", "alice", "Alice", "bob", "one", T0);
        store("m2", "alice", "Alice", "bob", "two", T0);
        store("x1", "eve", "Eve", "bob", "spam", T0);
        store("x2", "eve", "Eve", "bob", "more spam", T0);
        var written = messages.write(new MessageStore.Group(
                List.of(message(10, "m3", "carol", "bob", "three"), message(11, "m1", "alice", "bob", "one again"),
                        message(12, "m2", "carol", "bob", "not alice's")),
                List.of(new MessageStore.Receipt("bob", "m1"), new MessageStore.Receipt("carol", "m2"),
                        new MessageStore.Receipt("bob", "m3")),
                List.of(new MessageStore.Forget("eve", "bob"))));
        assertEquals(java.util.Map.of("m1", new MessageStore.Owner("alice", "bob"),
                "m2", new MessageStore.Owner("alice", "bob")), written.alreadyStored(), "an id is stored once");
        assertArrayEquals(new boolean[] {true, false, true}, written.removed(),
                "receipts remove their recipient's messages only, stored in the same group too");
        assertEquals(List.of("m2"), ids(messages.pending("bob", 0, 10)), "m1 and m3 acknowledged, eve's forgotten");
        assertEquals(java.util.Optional.of(new MessageStore.Owner("alice", "bob")), messages.owner("m2"));
        assertEquals(java.util.Optional.empty(), messages.owner("m1"));
    }

    @Test
    void aGroupThatFailsLeavesNothingBehind() {
        store("m1", "alice", "Alice", "bob", "one", T0);
        var tooLong = message(20, "m9", "alice", "bob", "x".repeat(5000));
        assertThrows(StorageException.class, () -> messages.write(new MessageStore.Group(
                List.of(message(19, "m8", "alice", "bob", "fine"), tooLong),
                List.of(new MessageStore.Receipt("bob", "m1")), List.of())));
        assertEquals(List.of("m1"), ids(messages.pending("bob", 0, 10)), "neither the store nor the receipt happened");
    }

    @Test
    void theRelayStartsFromTheHighestSequenceAndTheWaitingCounts() {
        assertEquals(0, messages.highestSeq());
        store("m1", "alice", "Alice", "bob", "one", T0);
        store("m2", "alice", "Alice", "bob", "two", T0);
        store("m3", "carol", "Carol", "bob", "three", T0);
        store("m4", "alice", "Alice", "carol", "four", T0);
        assertEquals(seq, messages.highestSeq());
        assertEquals(java.util.Set.of(new MessageStore.WaitingCount("bob", "alice", 2),
                        new MessageStore.WaitingCount("bob", "carol", 1), new MessageStore.WaitingCount("carol", "alice", 1)),
                java.util.Set.copyOf(messages.waitingCounts()));
    }

    /** Sequence numbers as the relay takes them: in arrival order, from memory. */
    private long seq;

    private void store(String id, String senderKey, String sender, String recipientKey, String body, long sentAt) {
        seq++;
        var written = messages.write(new MessageStore.Group(
                List.of(new StoredMessage(seq, id, senderKey, sender, recipientKey, body, sentAt)), List.of(), List.of()));
        assertEquals(java.util.Map.of(), written.alreadyStored());
    }

    private boolean acknowledge(String recipientKey, String id) {
        return messages.write(new MessageStore.Group(List.of(), List.of(new MessageStore.Receipt(recipientKey, id)),
                List.of())).removed()[0];
    }

    private StoredMessage message(long seq, String id, String senderKey, String recipientKey, String body) {
        return new StoredMessage(seq, id, senderKey, senderKey, recipientKey, body, T0);
    }

    private static List<String> ids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::messageId).collect(Collectors.toList());
    }
}
