package io.infergate.core.fleet;

/** Where an endpoint runs; edge sites sit close to users, clouds charge egress. */
public enum SiteKind {
    CLOUD, ONPREM, EDGE
}
