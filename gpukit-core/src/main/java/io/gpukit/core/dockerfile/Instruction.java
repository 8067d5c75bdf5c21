package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Optional;

/**
 * One Dockerfile instruction. Each subtype adds what its keyword means; the common parts live in
 * {@link #header()}.
 *
 * @since 0.1.0
 */
public sealed interface Instruction
    permits From,
        FileInstruction,
        Run,
        Cmd,
        Entrypoint,
        Healthcheck,
        User,
        Env,
        Label,
        Arg,
        Workdir,
        Expose,
        Volume,
        Shell,
        StopSignal,
        Maintainer,
        Onbuild {

  /** The parts every instruction has. */
  InstructionHeader header();

  /** The keyword, upper-case, e.g. {@code RUN}. */
  default String keyword() {
    return header().keyword();
  }

  /** Where the keyword is: the first line, the keyword's column. */
  default SourceLocation location() {
    return header().location();
  }

  /** The first line, 1-based. */
  default int startLine() {
    return header().startLine();
  }

  /** The last line, 1-based, heredoc bodies included. */
  default int endLine() {
    return header().endLine();
  }

  /** All physical lines of the instruction as written, joined with {@code \n}. */
  default String original() {
    return header().original();
  }

  /** The builder flags, e.g. {@code --from=build}. */
  default List<Flag> flags() {
    return header().flags();
  }

  /** The first flag with this name (without dashes). */
  default Optional<Flag> flag(String name) {
    return flags().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The arguments as BuildKit's parser splits them. */
  default List<String> args() {
    return header().args();
  }

  /** How the arguments were written. */
  default Form form() {
    return header().form();
  }

  /** The here-documents, in order. */
  default List<Heredoc> heredocs() {
    return header().heredocs();
  }
}
