/**
 * The command line: picocli commands, the global options, and the one place where failures
 * become exit codes.
 *
 * <p>Words: a <em>command</em> parses options and calls a phase; it holds no migration logic.
 * {@link dev.stowage.cli.Main} is the only caller of {@code System.exit}. Every exit code is an
 * {@link dev.stowage.model.ExitCode} and is listed in {@code --help} and the man pages.
 */
package dev.stowage.cli;
