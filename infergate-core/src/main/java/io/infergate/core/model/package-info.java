/**
 * Which model a request is served by: {@link io.infergate.core.model.ModelCatalog} resolves the name a
 * client asked for (a served model or an alias) and walks the model's ordered fallbacks when its own
 * endpoints are down or saturated. Start with {@code ModelCatalog}.
 */
package io.infergate.core.model;
