package io.infergate.gateway.security;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where API keys created at runtime through the admin API are kept, as {@link KeyGrant}s (salted
 * hashes, never a key): {@link MemoryKeyStore} in this process (gone on restart), or
 * {@link RedisKeyStore} in Redis, shared by every replica and kept across restarts. No call blocks;
 * stages may complete on any thread and fail only with {@link Unavailable}.
 *
 * <pre>{@code
 * KeyStore store = KeyStore.memory();
 * store.add(grant).thenAccept(added -> ...);   // false when a key with that id exists
 * store.find(grant.id()).thenAccept(found -> ...);
 * }</pre>
 */
public sealed interface KeyStore permits MemoryKeyStore, RedisKeyStore {

    /** Keys in this process's memory only. */
    static KeyStore memory() {
        return new MemoryKeyStore();
    }

    /** The key with public id {@code id}, or empty when there is none (or it was revoked). */
    CompletionStage<Optional<KeyGrant>> find(String id);

    /** Stores {@code grant}; false when a key with its id is stored already. */
    CompletionStage<Boolean> add(KeyGrant grant);

    /** Forgets the key {@code id}; false when there was none. */
    CompletionStage<Boolean> remove(String id);

    /** The keys this replica knows now, in no order. */
    Collection<KeyGrant> known();

    /** The store cannot be reached now. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
