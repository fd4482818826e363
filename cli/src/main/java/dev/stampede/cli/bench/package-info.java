/** {@code stampede bench}: one subcommand per benchmark, sharing {@code --quick} and {@code --json FILE}. */
package dev.stampede.cli.bench;
