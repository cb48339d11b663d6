package dev.parley.rendezvous.core;

/** A registered user. {@code key} is the lower-cased username that identity and lookups use. */
public record Account(String key, String username, String passwordHash) {
    @Override
    public String toString() {
        return "Account[" + username + "]";
    }
}
