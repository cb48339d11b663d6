package dev.parley.rendezvous.storage;

/** A database failure; the message names the statement but never its parameters (they may be secrets). */
public class StorageException extends RuntimeException {
    public StorageException(String sql, Throwable cause) {
        super("database error running [" + sql.strip().split("\\s+", 3)[0] + " …]: " + cause.getMessage(), cause);
    }
}
