/** Configuration mappings of the directory service ({@code stampede.directory.*}, {@code stampede.redis.*}). */
package dev.stampede.directory.config;
