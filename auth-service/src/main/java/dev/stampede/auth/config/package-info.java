/** auth's configuration ({@code stampede.auth.*}, {@code stampede.token.*}), wiring of the domain, and metrics. */
package dev.stampede.auth.config;
