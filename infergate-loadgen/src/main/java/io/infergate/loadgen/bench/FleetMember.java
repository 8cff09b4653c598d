package io.infergate.loadgen.bench;

import java.net.URI;
import java.util.Objects;

/**
 * One inference server of the fleet under a bench.
 *
 * @param id           stable id, e.g. {@code a100-1}
 * @param url          base URL, e.g. {@code http://127.0.0.1:41234}
 * @param region       pretend region, written into the gateway's config
 * @param pricePerHour pretend price, written into the gateway's config
 */
public record FleetMember(String id, URI url, String region, double pricePerHour) {

    public FleetMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(region, "region");
    }
}
