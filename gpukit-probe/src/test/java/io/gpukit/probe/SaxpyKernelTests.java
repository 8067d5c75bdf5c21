package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The saxpy kernel as the jar carries it: {@code saxpy.ptx}, and {@code saxpy.fatbin} generated
 * from it by {@code src/main/c/saxpy-fatbin.sh} (regenerate it after editing the PTX).
 */
class SaxpyKernelTests {

  static final int FATBIN_MAGIC = 0xBA55ED50;
  static final int KIND_PTX = 1;
  static final int KIND_ELF = 2;

  /** One image of a fatbin: its kind, the GPU architecture it is for, and its bytes. */
  record Image(int kind, int arch, byte[] payload) {}

  /** The images of a fatbin container: a 16-byte header, then entries with their own headers. */
  static List<Image> images(byte[] fatbin) {
    ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(0)).as("fatbin magic").isEqualTo(FATBIN_MAGIC);
    int headerSize = b.getShort(6);
    long size = b.getLong(8);
    assertThat(headerSize + size).as("fatbin size").isEqualTo(fatbin.length);
    List<Image> images = new ArrayList<>();
    for (int off = headerSize; off < fatbin.length; ) {
      int kind = b.getShort(off);
      int entryHeader = b.getInt(off + 4);
      int payload = (int) b.getLong(off + 8);
      int arch = b.getInt(off + 28);
      images.add(new Image(kind, arch, Arrays.copyOfRange(fatbin, off + entryHeader,
          off + entryHeader + payload)));
      off += entryHeader + payload;
    }
    return images;
  }

  /** The PTX's instructions and directives, without comments, blank space or padding. */
  static List<String> tokens(String ptx) {
    List<String> tokens = new ArrayList<>();
    for (String line : ptx.replace("\0", "").split("\n")) {
      int comment = line.indexOf("//");
      String code = comment >= 0 ? line.substring(0, comment) : line;
      for (String t : code.trim().split("\\s+")) {
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
    }
    return tokens;
  }

  @Nested
  class The_fatbin {

    @Test
    void holds_sass_for_the_common_gpus_and_the_ptx_for_every_other() {
      // given
      byte[] fatbin = ProbeRunner.fatbin();

      // when
      Map<Integer, Integer> kinds = new LinkedHashMap<>();
      for (Image image : images(fatbin)) {
        kinds.put(image.arch(), image.kind());
      }

      // then
      assertThat(fatbin.length).as("bytes in the jar").isLessThan(64 << 10);
      assertThat(kinds).containsExactly(Map.entry(75, KIND_ELF), Map.entry(80, KIND_ELF),
          Map.entry(90, KIND_ELF), Map.entry(100, KIND_ELF), Map.entry(110, KIND_ELF),
          Map.entry(120, KIND_ELF), Map.entry(52, KIND_PTX));
    }

    @Test
    void carries_the_ptx_of_saxpy_ptx_unchanged() throws Exception {
      // given
      String ptx = ProbeRunner.ptx();

      // when
      List<Image> ptxImages = images(ProbeRunner.fatbin()).stream()
          .filter(i -> i.kind() == KIND_PTX).toList();

      // then (fatbinary drops comments and indentation, nothing else)
      assertThat(ptxImages).hasSize(1);
      assertThat(tokens(new String(ptxImages.get(0).payload(), StandardCharsets.US_ASCII)))
          .as("the fatbin's PTX; after editing saxpy.ptx, run src/main/c/saxpy-fatbin.sh")
          .isEqualTo(tokens(ptx));
    }

    @Test
    void defines_the_kernel_saxpy_in_every_sass_image() {
      for (Image image : images(ProbeRunner.fatbin())) {
        if (image.kind() != KIND_ELF) {
          continue;
        }
        // when
        String elf = new String(image.payload(), StandardCharsets.ISO_8859_1);

        // then
        assertThat(elf).as("sm_%d", image.arch()).startsWith("\u007fELF")
            .contains(".text.saxpy\0").contains(".nv.info.saxpy\0");
      }
    }
  }
}
