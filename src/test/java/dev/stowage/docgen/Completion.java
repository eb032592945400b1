package dev.stowage.docgen;

import picocli.AutoComplete;
import picocli.CommandLine;

/** The bash completion script, generated from the same command model as the man pages. */
public final class Completion {
    private Completion() {
    }

    /** A bash script (also usable from zsh through bashcompinit) completing {@code stowage}. */
    public static String bash(CommandLine root) {
        return AutoComplete.bash(root.getCommandName(), root);
    }
}
