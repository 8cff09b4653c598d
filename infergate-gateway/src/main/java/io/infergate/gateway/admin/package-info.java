/**
 * The admin listener. Start with {@link io.infergate.gateway.admin.AdminRouter}, which lists every route
 * ({@code /metrics}, {@code /health}, the fleet, the last picks, drains, keys, the autoscaler, reloads,
 * membership), behind {@link io.infergate.gateway.admin.AdminAuthenticator}, which asks for the admin token
 * when one is configured. {@code KeyRoutes} creates, adds, lists and revokes API keys;
 * {@link io.infergate.gateway.admin.MembershipRoutes} lets endpoints join and leave and a remote autoscaler
 * read a pool; {@link io.infergate.gateway.admin.JsonAnswer} ends a request with a JSON body. Errors are
 * OpenAI-shaped, with a message naming the field.
 */
package io.infergate.gateway.admin;
