package org.kindred.server.store;

/** The database could not be opened or migrated at start-up; the node does not start without its records. */
public final class StorageUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
