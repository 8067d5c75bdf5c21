package io.gpukit.core.dockerfile;

import java.util.List;

/**
 * One instruction as BuildKit's parser leaves it, before the instruction layer gives it meaning.
 *
 * @param command the keyword as written
 * @param flags the builder flags as BuildKit extracts them
 * @param args the arguments, flattened as BuildKit's {@code nodeArgs} does
 * @param json whether the arguments were a JSON array
 * @param child the {@code ONBUILD} trigger, or {@code null}
 */
record RawNode(String command, List<String> flags, List<String> args, boolean json, RawNode child) {

  String lowerCommand() {
    return command.toLowerCase(java.util.Locale.ROOT);
  }
}
