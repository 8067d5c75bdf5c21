package io.gpukit.junit;

/** A command run in the container, bounded by a timeout. */
record ExecOutcome(int exitCode, String stdout, String stderr, boolean timedOut) {

  String describe() {
    String output = (stdout + " " + stderr).strip();
    return (timedOut ? "no answer in time" : "exit " + exitCode) + (output.isEmpty() ? "" : ": " + output);
  }
}
