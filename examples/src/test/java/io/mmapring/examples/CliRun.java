package io.mmapring.examples;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Output, error output and exit code of one in-process run of the CLI ({@link PeopleRingCli#execute}). */
final class CliRun {
    final int code;
    final String out;
    final String err;

    CliRun(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        this.code = PeopleRingCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        this.out = out.toString();
        this.err = err.toString();
    }

    @Override
    public String toString() {
        return "exit " + code + "\nout:\n" + out + "\nerr:\n" + err;
    }
}
