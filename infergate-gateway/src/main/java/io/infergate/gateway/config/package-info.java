/**
 * The gateway's configuration: one YAML file, bound to records and validated with errors that name
 * file, line, column and field.
 *
 * <p>Start reading at {@link io.infergate.gateway.config.ConfigLoader}, which returns a
 * {@link io.infergate.gateway.config.GatewayConfig} or throws a
 * {@link io.infergate.gateway.config.ConfigException}. The schema (keys, defaults, rules) lives in one
 * class, {@code GatewayConfigBinder}; {@code YamlMapping} and {@code NodeReader} do the field-by-field
 * reading that keeps a YAML mark for every value, so every error points at its line.
 * {@link io.infergate.gateway.config.CheckConfigCommand} is the {@code check-config} command.
 */
package io.infergate.gateway.config;
