package io.gpukit.examples.scoring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A smoke-test client that ships in the image, so the service can be called from inside its own
 * container, which has neither curl nor (in tests) a network beyond loopback:
 *
 * <pre>
 * docker exec CONTAINER java -cp /opt/scoring/scoring-service.jar io.gpukit.examples.scoring.ScoreClient \
 *     http://127.0.0.1:8080/score '{"queries": [[1, 0]], "documents": [[1, 0], [0, 1]]}'
 * </pre>
 *
 * <p>With a body it POSTs JSON, without one it GETs. It prints the status code on the first line and
 * the body after it, and exits 0 whatever the status; 2 when no HTTP answer came. Only {@code
 * java.base} is used.
 *
 * @since 0.1.0
 */
public final class ScoreClient {

  private ScoreClient() {}

  /**
   * Calls the URL once and prints the answer.
   *
   * @param args the URL, then optionally the JSON body
   * @since 0.1.0
   */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ScoreClient URL [JSON-BODY]");
      System.exit(64);
    }
    try {
      Response response = call(args[0], args.length == 2 ? args[1] : null);
      System.out.println(response.status());
      System.out.println(response.body());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("no answer from " + args[0] + ": " + e);
      System.exit(2);
    }
  }

  /**
   * An HTTP answer.
   *
   * @param status the status code
   * @param body the body as UTF-8 text
   * @since 0.1.0
   */
  public record Response(int status, String body) {}

  /**
   * Calls a URL: POST with a JSON body, or GET without one; 5 s to connect, 60 s to answer.
   *
   * @param url the URL
   * @param body the JSON body, or {@code null} for a GET
   * @return the answer, whatever its status
   * @throws IOException when no HTTP answer comes
   * @since 0.1.0
   */
  public static Response call(String url, String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    try {
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(60_000);
      if (body != null) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      if (in != null) {
        try (in) {
          in.transferTo(content);
        }
      }
      return new Response(status, content.toString(StandardCharsets.UTF_8));
    } finally {
      connection.disconnect();
    }
  }
}
