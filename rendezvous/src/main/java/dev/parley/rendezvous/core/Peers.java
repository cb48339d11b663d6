package dev.parley.rendezvous.core;

import dev.parley.common.protocol.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The user a command names, checked once for every feature: that they exist, that they are not
 * the one asking, and (where a block stands in the way) that neither blocks the other.
 */
@ApplicationScoped
public class Peers {
    private final AccountStore accounts;
    private final BlockStore blocks;

    public Peers(AccountStore accounts, BlockStore blocks) {
        this.accounts = accounts;
        this.blocks = blocks;
    }

    /** The account with this name; refused if there is none. */
    public Account named(String name) {
        return accounts.find(name).orElseThrow(() -> new Refusal(ErrorCode.NO_SUCH_USER, "no such user '" + name + "'"));
    }

    /** The account named, which must not be the asker's own ({@code selfRefusal} says why not). */
    public Account other(String askerKey, String name, String selfRefusal) {
        Account target = named(name);
        if (target.key().equals(askerKey)) {
            throw new Refusal(ErrorCode.SELF, selfRefusal);
        }
        return target;
    }

    /** Whether {@link #reachable} would answer from memory, with no look-up in the store. */
    public boolean reachableWithoutLookUp(String askerKey, String name) {
        if (!accounts.isCached(name) || !blocks.isCached(askerKey)) {
            return false;
        }
        return accounts.find(name).map(target -> blocks.isCached(target.key())).orElse(false);
    }

    /** As {@link #other}, with no block either way between the two. */
    public Account reachable(String askerKey, String name, String selfRefusal) {
        Account target = other(askerKey, name, selfRefusal);
        if (blocks.blocks(target.key(), askerKey)) {
            throw new Refusal(ErrorCode.BLOCKED, target.username() + " has blocked you");
        }
        if (blocks.blocks(askerKey, target.key())) {
            throw new Refusal(ErrorCode.BLOCKED, "you have blocked " + target.username() + "; unblock them first");
        }
        return target;
    }
}
