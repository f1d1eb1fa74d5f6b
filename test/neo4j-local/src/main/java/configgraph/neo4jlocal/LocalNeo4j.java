package configgraph.neo4jlocal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A throwaway Neo4j 5.26 community server for development and tests.
 *
 * <p>Usage: {@code java [flags] -jar neo4j-local.jar [port [dataDir]]} (port 0 or absent: a free
 * port). Bolt only, on 127.0.0.1, auth disabled. Without dataDir the data lives in a temporary
 * directory removed at exit; with it, the caller owns the directory (a restart on the same
 * directory recovers the database, which the "Neo4j killed mid-import" test relies on).
 * Stdout carries exactly one line, {@code NEO4J_BOLT_URL=bolt://127.0.0.1:PORT}, once the server
 * accepts connections; everything else goes to stderr. It stops when stdin closes (the parent
 * process went away) or on SIGTERM/SIGINT.
 */
public final class LocalNeo4j {
  private LocalNeo4j() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    // Neo4j and its libraries may print to stdout; the parent parses stdout, so keep it ours.
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    boolean ownsHome = args.length < 2;
    Path home = ownsHome ? Files.createTempDirectory("configgraph-neo4j-") : Files.createDirectories(Path.of(args[1]));
    DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .setConfig(HttpConnector.enabled, false)
        .setConfig(HttpsConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        // No phoning home: this machine reaches package registries only.
        .setConfig(GraphDatabaseSettings.udc_enabled, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, bytes(System.getProperty("configgraph.pagecache", "64m")))
        .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
        .setConfig(GraphDatabaseSettings.keep_logical_logs, "false");
    // Tests that need a transaction to run out of memory set a per-transaction limit (db.memory.transaction.max).
    String txMax = System.getProperty("configgraph.txmax", "");
    if (!txMax.isEmpty()) {
      builder.setConfig(GraphDatabaseSettings.memory_transaction_max_size, bytes(txMax));
    }
    DatabaseManagementService dbms = builder.build();

    AtomicBoolean stopped = new AtomicBoolean(false);
    CountDownLatch done = new CountDownLatch(1);
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        try {
          dbms.shutdown();
        } catch (RuntimeException e) {
          System.err.println("neo4j-local: shutdown failed: " + e);
        }
        if (ownsHome) {
          deleteTree(home);
        }
        done.countDown();
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-local-shutdown"));

    GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    HostnamePort bolt = db.getDependencyResolver()
        .resolveDependency(ConnectorPortRegister.class)
        .getLocalAddress(ConnectorType.BOLT);
    if (bolt == null) {
      System.err.println("neo4j-local: the Bolt connector did not start");
      stop.run();
      System.exit(1);
    }
    out.println("NEO4J_BOLT_URL=bolt://127.0.0.1:" + bolt.getPort());
    out.flush();

    Thread stdinWatcher = new Thread(() -> {
      try {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
          // Input is ignored; only its end matters.
        }
      } catch (IOException e) {
        // A broken stdin means the parent is gone: stop as for EOF.
      }
      stop.run();
      System.exit(0);
    }, "neo4j-local-stdin");
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();
    done.await();
  }

  /** "64m", "1g", "512k" or plain bytes (the -Dconfiggraph.pagecache value). */
  private static long bytes(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = t.endsWith("g") ? 1L << 30 : t.endsWith("m") ? 1L << 20 : t.endsWith("k") ? 1L << 10 : 1L;
    String digits = unit == 1L ? t : t.substring(0, t.length() - 1);
    return Long.parseLong(digits) * unit;
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("neo4j-local: could not delete " + root + ": " + e);
    }
  }
}
