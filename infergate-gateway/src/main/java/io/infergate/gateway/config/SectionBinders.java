package io.infergate.gateway.config;

import io.infergate.gateway.security.HostResolver;

/** One binder per top-level section, for reading one file: they remember the names seen so far in it. */
record SectionBinders(AdminBinder admin, ListenBinder listen, LimitsBinder limits, ScrapeBinder scrape,
                      FlowControlBinder flowControl, RoutingBinder routing, RetryBinder retry, HealthBinder health,
                      PoolsBinder pools, TenantsBinder tenants, ModelsBinder models, RateLimitsBinder rateLimits,
                      BackendTlsBinder backendTls, AutoscalerBinder autoscaler, ShutdownBinder shutdown) {

    /** @param resolver resolves endpoint host names, whose every address is checked against the pool's rules */
    static SectionBinders of(NodeReader reader, HostResolver resolver) {
        Converters convert = new Converters(reader);
        ServerTlsBinder serverTls = new ServerTlsBinder(convert);
        return new SectionBinders(new AdminBinder(convert, serverTls), new ListenBinder(convert, serverTls),
                new LimitsBinder(convert), new ScrapeBinder(convert), new FlowControlBinder(convert),
                new RoutingBinder(convert), new RetryBinder(convert), new HealthBinder(convert),
                new PoolsBinder(convert, resolver), new TenantsBinder(convert), new ModelsBinder(convert),
                new RateLimitsBinder(convert), new BackendTlsBinder(convert), new AutoscalerBinder(convert),
                new ShutdownBinder(convert));
    }
}
