package market.search.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node in this JVM, for the Elasticsearch adapter's tests, evaluation and benchmark.
 *
 * <pre>
 *   java -Xms1g -Xmx1g -cp '.tools/opensearch/lib/*:.tools/opensearch/classes' \
 *     market.search.opensearch.Launcher --port 9200 [--home DIR] [--cluster NAME] [--exit-with-stdin]
 * </pre>
 *
 * Without {@code --home} the node gets a fresh temporary home (config, data, logs) that is deleted when it
 * stops; with it, the data in {@code DIR/data} survives, so a test can stop the node and start it again on
 * the same data. HTTP listens on 127.0.0.1 only ({@code --port 0} picks a free port). Plugins are loaded
 * from the classpath, the way OpenSearch's own test nodes do, so no plugin directory or installer is
 * involved. Once HTTP answers, one line goes to stdout:
 *
 * <pre>
 *   opensearch ready http://127.0.0.1:PORT pid=PID
 * </pre>
 *
 * SIGTERM closes the node cleanly; so does the end of stdin with {@code --exit-with-stdin}, so that a
 * parent process that dies takes the node with it.
 */
public final class Launcher {
  /** Plugins the marketplace's index needs; the same modules an OpenSearch distribution ships. */
  private static final List<Class<? extends Plugin>> PLUGINS =
      List.of(
          Netty4Plugin.class, // HTTP and transport
          CommonAnalysisPlugin.class, // cjk_bigram, shingle, synonym_graph, stemmers …
          MapperExtrasPlugin.class, // search_as_you_type
          PainlessPlugin.class, // scripts (analysis-common extends it)
          ReindexPlugin.class); // _reindex, _delete_by_query

  /** Node with classpath plugins: the protected constructor the public one does not expose. */
  private static final class PluginNode extends Node {
    PluginNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
      super(
          InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "test-engine"),
          plugins,
          true);
    }
  }

  private Launcher() {}

  public static void main(String[] args) throws Exception {
    int port = 9200;
    Path home = null;
    String cluster = "market-test";
    boolean exitWithStdin = false;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(required(args[i], value));
        case "--home" -> home = Path.of(required(args[i], value)).toAbsolutePath();
        case "--cluster" -> cluster = required(args[i], value);
        case "--exit-with-stdin" -> {
          exitWithStdin = true;
          continue;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i++;
    }
    boolean temporary = home == null;
    Path root = temporary ? Files.createTempDirectory("opensearch-home-") : home;
    Files.createDirectories(root.resolve("config"));

    Settings settings =
        Settings.builder()
            .put("path.home", root.toString())
            .put("path.data", root.resolve("data").toString())
            .put("path.logs", root.resolve("logs").toString())
            .put("cluster.name", cluster)
            .put("node.name", "node-1")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", 0)
            // A test machine's disk may be fuller than a server's: never go read-only for that.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("bootstrap.memory_lock", false)
            // Single node: replicas could never be allocated, and the health would stay yellow.
            .put("cluster.default_number_of_replicas", 0)
            .put("logger.level", System.getenv().getOrDefault("OPENSEARCH_LOG_LEVEL", "WARN"))
            .build();
    // Log to stderr only (no log files, no JMX); the settings' logger.level decides how much.
    LogConfigurator.registerErrorListener();
    LogConfigurator.configureWithoutConfig(settings);

    Node node = new PluginNode(settings, PLUGINS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop(node);
                  if (temporary) deleteTree(root);
                  stopped.countDown();
                },
                "opensearch-shutdown"));
    node.start();

    TransportAddress http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
    System.out.println(
        "opensearch ready http://" + http.getAddress() + ":" + http.getPort() + " pid=" + ProcessHandle.current().pid());
    System.out.flush();

    if (exitWithStdin) exitWhenStdinCloses();
    stopped.await();
  }

  /** The parent closing our stdin means it is gone: stop rather than linger as an orphan. */
  private static void exitWhenStdinCloses() {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // ignore input
                }
              } catch (IOException ignored) {
                // treated like end of input
              }
              System.exit(0);
            },
            "stdin-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static String required(String flag, String value) {
    if (value == null) throw new IllegalArgumentException(flag + " needs a value");
    return value;
  }

  private static void stop(Node node) {
    try {
      node.close();
      if (!node.awaitClose(30, TimeUnit.SECONDS)) System.err.println("opensearch: node did not close in 30 s");
    } catch (IOException | InterruptedException e) {
      System.err.println("opensearch: error while closing: " + e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
