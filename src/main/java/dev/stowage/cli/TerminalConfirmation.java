package dev.stowage.cli;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.phase.Confirmation;
import java.io.Console;

/** Yes with {@code --yes}; otherwise asks on the terminal; without one, refuses rather than assume. */
final class TerminalConfirmation implements Confirmation {
    private final boolean yes;

    TerminalConfirmation(boolean yes) {
        this.yes = yes;
    }

    @Override
    public boolean confirm(String question) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw new StowageException(ExitCode.PRECHECK, "confirmation needed, and there is no terminal to ask: "
                    + question, "rerun with --yes once you are sure");
        }
        String answer = console.readLine("%n%s%nType 'yes' to go ahead: ", question);
        return answer != null && answer.strip().equalsIgnoreCase("yes");
    }
}
