package io.gpukit.core.policy;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceParseException;
import java.util.List;

/** A toy file kind for engine tests: a file of lines; a line "BROKEN" does not parse. */
final class LinesKind implements FileKind<SourceFile> {

  static final Rule<SourceFile> NO_TODO =
      Rule.<SourceFile>define("lines/no-todo")
          .warning()
          .describedAs("lines should not say TODO")
          .because("a TODO in a shipped file is an unfinished promise")
          .checkedBy(
              (file, findings) -> {
                List<String> lines = file.lines();
                for (int i = 0; i < lines.size(); i++) {
                  int col = lines.get(i).indexOf("TODO");
                  if (col >= 0) {
                    findings.report(file.at(i + 1, col + 1), "line says 'TODO'", "finish it");
                  }
                }
              });

  static final Rule<SourceFile> NO_ROOT =
      Rule.<SourceFile>define("lines/no-root")
          .describedAs("lines should not say root")
          .checkedBy(
              (file, findings) -> {
                List<String> lines = file.lines();
                for (int i = 0; i < lines.size(); i++) {
                  if (lines.get(i).contains("root")) {
                    findings.report(file.at(i + 1, 1), "line says 'root'", "use 10001");
                  }
                }
              });

  static final Rule<SourceFile> THROWS =
      Rule.<SourceFile>define("lines/throws")
          .describedAs("lines should never make this rule throw")
          .checkedBy(
              (file, findings) -> {
                if (file.text().contains("BOOM")) {
                  throw new IllegalStateException("boom");
                }
              });

  @Override
  public String name() {
    return "lines";
  }

  @Override
  public SourceFile parse(SourceFile file) {
    List<String> lines = file.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("BROKEN")) {
        throw new SourceParseException(file.at(i + 1, 1), "broken line");
      }
    }
    return file;
  }

  @Override
  public List<Rule<SourceFile>> rules() {
    return List.of(NO_TODO, NO_ROOT, THROWS);
  }
}
