/**
 * The gateway's configuration: one YAML file, bound to records and validated with errors that name
 * file, line, column and field.
 *
 * <p>Start reading at {@link io.infergate.gateway.config.ConfigLoader}, which returns a
 * {@link io.infergate.gateway.config.GatewayConfig} or throws a
 * {@link io.infergate.gateway.config.ConfigException}. {@link io.infergate.gateway.config.ConfigSection}
 * lists the top-level sections once: their keys and order, how each is bound, where
 * {@code GatewayConfig} keeps it and whether a reload applies it. Each section's schema (keys, defaults,
 * rules) lives in its own binder ({@code ListenBinder}, {@code PoolsBinder}, ...), sharing the converters
 * of {@code Converters}; {@code YamlMapping} and {@code NodeReader} do the field-by-field reading that
 * keeps a YAML mark for every value, so every error points at its line.
 * {@link io.infergate.gateway.config.CheckConfigCommand} is the {@code check-config} command.
 */
package io.infergate.gateway.config;
