package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.io.FileFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lanes} command line: {@code train}, {@code eval}, {@code encode} and {@code info}.
 *
 * <p>Exit codes: 0 on success, 2 for a user error (a bad option value, a missing, unreadable or malformed
 * file, data that does not fit the model), printed as one line naming the option or file, without a stack
 * trace; 1 for anything else (a bug), with its stack trace.
 */
@Command(name = "lanes", mixinStandardHelpOptions = true, version = "lanes 0.1.0",
        description = "Train, evaluate and inspect autoencoders built on Lanes' SIMD kernels.",
        subcommands = {TrainCommand.class, EvalCommand.class, EncodeCommand.class, InfoCommand.class})
public final class Lanes implements Runnable {

    /** Exit code of a user error. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (expected train, eval, encode or info)");
    }

    /** @return a command line with the CLI's error handling installed */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Lanes());
        cl.setParameterExceptionHandler(Lanes::parameterError);
        cl.setExecutionExceptionHandler(Lanes::executionError);
        return cl;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    private static int parameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return USER_ERROR;
    }

    private static int executionError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        String message = userMessage(e);
        if (message == null) {
            throw e; // a bug: picocli prints the stack trace and exits with 1
        }
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
        err.flush();
        return USER_ERROR;
    }

    /** @return the one-line message of a user error, or null when {@code e} is not one */
    static String userMessage(Throwable e) {
        if (e instanceof UserException || e instanceof FileFormatException) {
            return e.getMessage();
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        if (e instanceof IOException io) {
            return "I/O error: " + io.getMessage();
        }
        return null;
    }
}
