package dev.stowage.phase;

/**
 * Asks the operator before a point of no return. The CLI answers yes for {@code --yes}, asks on a
 * terminal, and refuses (exit code 3) when there is neither: a script must say yes explicitly.
 */
@FunctionalInterface
public interface Confirmation {
    /** True to go ahead. */
    boolean confirm(String question);
}
