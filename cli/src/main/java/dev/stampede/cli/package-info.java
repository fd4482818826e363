/** The {@code stampede} command line (picocli). Commands wire library code; they hold no logic of their own. */
package dev.stampede.cli;
