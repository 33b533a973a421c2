package conecta;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * mongo-java-server as an embedded, MongoDB-compatible server for tests (EMBEDDED_DB=mongo-java-server).
 *
 * <p>Usage: {@code -data DIR -port N [-backend h2|memory] [-watch-stdin]}. Listens on 127.0.0.1:N,
 * prints one line, {@code READY <mongodb uri>}, once bound, and stops cleanly (the H2 store is
 * committed and closed) on SIGINT/SIGTERM or, with -watch-stdin, when its parent closes stdin.
 */
public final class EmbeddedMongoJavaServer {
  private EmbeddedMongoJavaServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    String dataDir = ".data/db";
    int port = 0;
    String backendName = "h2";
    boolean watchStdin = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-data" -> dataDir = args[++i];
        case "-port" -> port = Integer.parseInt(args[++i]);
        case "-backend" -> backendName = args[++i];
        case "-watch-stdin" -> watchStdin = true;
        default -> fail("unknown argument " + args[i]);
      }
    }
    if (port <= 0) fail("-port is required (the launcher chooses it)");

    MongoBackend backend;
    if (backendName.equals("h2")) {
      Path dir = Path.of(dataDir).toAbsolutePath();
      Files.createDirectories(dir);
      backend = new H2Backend(dir.resolve("mongo-java-server.mv").toString());
    } else if (backendName.equals("memory")) {
      backend = new MemoryBackend();
    } else {
      fail("backend must be h2 or memory, got " + backendName);
      return;
    }

    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  stopped.countDown();
                }));
    if (watchStdin) {
      Thread watcher =
          new Thread(
              () -> {
                try (InputStream in = System.in) {
                  byte[] buffer = new byte[256];
                  while (in.read(buffer) >= 0) {
                    // discard
                  }
                } catch (IOException ignored) {
                  // the parent is gone either way
                }
                System.exit(0);
              });
      watcher.setDaemon(true);
      watcher.start();
    }

    System.out.println("READY mongodb://127.0.0.1:" + port + "/");
    System.out.flush();
    stopped.await();
  }

  private static void fail(String message) {
    System.err.println("embedded-mongo-java-server: " + message);
    System.exit(2);
  }
}
