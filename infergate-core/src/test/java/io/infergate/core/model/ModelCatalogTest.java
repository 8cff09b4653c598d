package io.infergate.core.model;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCatalogTest {

    private static final String BIG = "llama-70b";
    private static final String SMALL = "llama-8b";
    private static final String TINY = "llama-1b";

    private final FleetSnapshot fleet = FleetSnapshot.of(List.of(
            endpoint("big-1", BIG), endpoint("big-2", BIG), endpoint("small-1", SMALL), endpoint("tiny-1", TINY)));
    private final ModelCatalog catalog = ModelCatalog.of(fleet.models(),
            List.of(new ModelRoute(BIG, List.of("gpt-4o", "smart"), List.of(SMALL, TINY))));

    @Test
    void resolvesServedModelsAndAliasesAndNothingElse() {
        assertThat(catalog.resolve(BIG)).contains(BIG);
        assertThat(catalog.resolve("gpt-4o")).contains(BIG);
        assertThat(catalog.resolve(SMALL)).contains(SMALL);
        assertThat(catalog.resolve("gpt-5")).isEmpty();
        assertThat(catalog.names()).containsExactly("gpt-4o", TINY, BIG, SMALL, "smart");
    }

    @Test
    void choosesTheModelWhileItHasRoom() {
        assertThat(catalog.choose(BIG, fleet, saturated())).isEqualTo(BIG);
        assertThat(catalog.choose(SMALL, fleet, saturated())).isEqualTo(SMALL);
    }

    @Test
    void fallsBackInOrderWhenTheModelIsSaturatedOrDown() {
        FleetSnapshot bigDown = fleet.withLoad(0, fleet.load(0).withHealthy(false))
                .withLoad(1, fleet.load(1).withLifecycle(Lifecycle.DRAINING));
        assertThat(catalog.choose(BIG, bigDown, saturated())).isEqualTo(SMALL);
        assertThat(catalog.choose(BIG, fleet, saturated(BIG))).isEqualTo(SMALL);
        assertThat(catalog.choose(BIG, fleet, saturated(BIG, SMALL))).isEqualTo(TINY);
    }

    @Test
    void keepsTheModelWhenNoFallbackHasRoomEither() {
        assertThat(catalog.choose(BIG, fleet, saturated(BIG, SMALL, TINY))).isEqualTo(BIG);
        assertThat(catalog.choose(SMALL, fleet, saturated(SMALL))).isEqualTo(SMALL);
    }

    @Test
    void nextFallbackWalksOnFromTheModelTriedLast() {
        assertThat(catalog.nextFallback(BIG, BIG, fleet, saturated())).contains(SMALL);
        assertThat(catalog.nextFallback(BIG, SMALL, fleet, saturated())).contains(TINY);
        assertThat(catalog.nextFallback(BIG, BIG, fleet, saturated(SMALL))).contains(TINY);
        assertThat(catalog.nextFallback(BIG, TINY, fleet, saturated())).isEmpty();
        assertThat(catalog.nextFallback(SMALL, SMALL, fleet, saturated())).isEmpty();
    }

    @Test
    void refusesRoutesThatNameUnservedModelsOrClashingAliases() {
        assertThatThrownBy(() -> ModelCatalog.of(fleet.models(), List.of(new ModelRoute("gpt-5", List.of(), List.of()))))
                .hasMessageContaining("model: 'gpt-5' (expected one of the served models: [llama-1b, llama-70b, llama-8b])");
        assertThatThrownBy(() -> ModelCatalog.of(fleet.models(), List.of(new ModelRoute(BIG, List.of(), List.of("phi")))))
                .hasMessageContaining("fallback of 'llama-70b': 'phi'");
        assertThatThrownBy(() -> ModelCatalog.of(fleet.models(), List.of(new ModelRoute(BIG, List.of(SMALL), List.of()))))
                .hasMessageContaining("alias 'llama-8b' of 'llama-70b': already names 'llama-8b'");
        assertThatThrownBy(() -> new ModelRoute(BIG, List.of(), List.of(BIG)))
                .hasMessageContaining("expected: models other than 'llama-70b'");
    }

    /** Flow control's verdict: the {@code models} given have no room. */
    private static Predicate<String> saturated(String... models) {
        return model -> !Set.of(models).contains(model);
    }

    private static Endpoint endpoint(String id, String model) {
        return Endpoint.builder(id, URI.create("http://" + id + ":8000")).models(Set.of(model)).build();
    }
}
