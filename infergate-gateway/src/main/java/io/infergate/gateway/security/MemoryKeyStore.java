package io.infergate.gateway.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Runtime keys in this process's memory: seen by this replica only, gone on restart. */
final class MemoryKeyStore implements KeyStore {

    private final Map<String, KeyGrant> keys = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Optional<KeyGrant>> find(String id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(keys.get(id)));
    }

    @Override
    public CompletionStage<Boolean> add(KeyGrant grant) {
        return CompletableFuture.completedFuture(keys.putIfAbsent(grant.id(), grant) == null);
    }

    @Override
    public CompletionStage<Boolean> remove(String id) {
        return CompletableFuture.completedFuture(keys.remove(id) != null);
    }

    @Override
    public Collection<KeyGrant> known() {
        return List.copyOf(keys.values());
    }
}
