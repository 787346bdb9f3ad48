package org.xmpproxy.openfire.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Openfire for end-to-end tests: a temporary copy of the installation given with
 * {@code -Dopenfire.home}, set up unattended (embedded database, test users, free ports), with the
 * freshly built plugin JAR installed. Started as its own process; stopped and deleted at the end.
 * The load benchmark ({@code org.xmpproxy.load}) also starts it without the plugin (stock Openfire).
 */
public final class OpenfireServer implements AutoCloseable {
    public static final String DOMAIN = "example.org";
    public static final String PASSWORD = "secret";
    public static final String ADMIN_PASSWORD = "admin-secret";
    /** What a stock Openfire logs once it takes client connections. */
    static final String STOCK_STARTED = "ConnectionListener[socket_c2s] - Started";

    public final Path home;
    /** The loopback address its listeners are bound to (a second cluster node has its own). */
    public final String host;
    public final int clientPort;
    final int adminPort;
    private final ProcessBuilder launcher;
    private Process process;

    private OpenfireServer(Path home, String host, int clientPort, int adminPort, ProcessBuilder launcher) throws IOException {
        this.home = home;
        this.host = host;
        this.clientPort = clientPort;
        this.adminPort = adminPort;
        this.launcher = launcher;
        this.process = launcher.start();
    }

    /** The installation to test against, or empty (with the reason printed by the caller) when none was given. */
    static Optional<Path> installation() {
        String value = System.getProperty("openfire.home", "").trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /**
     * For an end-to-end test class: the installation of {@code -Dopenfire.home} started with the freshly built
     * JAR and {@code users}; without it, the class is skipped and says why.
     */
    static OpenfireServer startFor(Class<?> testClass, List<String> users) throws Exception {
        Optional<Path> installation = installation();
        if (installation.isEmpty()) {
            System.out.println("SKIPPED " + testClass.getSimpleName() + ": no Openfire to test against; "
                    + "run with -Dopenfire.home=<an Openfire 5.1 installation> to run the end-to-end tests.");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installation.isPresent(), "-Dopenfire.home not given: end-to-end tests skipped");
        Path jar = Path.of(System.getProperty("xmpproxy.jar", "target/xmpproxy.jar"));
        return start(installation.get(), jar, users);
    }

    static OpenfireServer start(Path installation, Path pluginJar, List<String> users) throws Exception {
        return start(installation, pluginJar, users, "", List.of());
    }

    /**
     * As above; {@code pluginJar} may be null (stock Openfire, nothing installed), {@code xmpproxyXml} goes
     * inside {@code <xmpproxy>} in {@code openfire.xml} (copied into the database as system properties at setup), and
     * {@code jvmArguments} go to Openfire's JVM.
     */
    public static OpenfireServer start(Path installation, Path pluginJar, List<String> users, String xmpproxyXml,
                                       List<String> jvmArguments) throws Exception {
        return start(installation, pluginJar, users, xmpproxyXml, jvmArguments, List.of());
    }

    /** As above, with other plugins' JARs installed beside it (e.g. Openfire's Monitoring plugin). */
    static OpenfireServer start(Path installation, Path pluginJar, List<String> users, String xmpproxyXml,
                                List<String> jvmArguments, List<Path> otherPlugins) throws Exception {
        if (!Files.isRegularFile(installation.resolve("lib/startup.jar"))) {
            throw new IllegalArgumentException(installation + " is not an Openfire installation (no lib/startup.jar)");
        }
        Path home = Files.createTempDirectory("xmpproxy-openfire-");
        copyTree(installation, home);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("logs"));
        int clientPort = freePort();
        int adminPort = freePort();
        int adminSecurePort = freePort();
        Files.writeString(home.resolve("conf/openfire.xml"), OpenfireConfig.autosetup(DOMAIN, clientPort, adminPort, adminSecurePort, users, PASSWORD, ADMIN_PASSWORD, xmpproxyXml));
        if (pluginJar != null) {
            Files.copy(pluginJar, home.resolve("plugins/xmpproxy.jar"), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Path plugin : otherPlugins) {
            Files.copy(plugin, home.resolve("plugins/" + plugin.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }

        return launch(home, "127.0.0.1", clientPort, adminPort, jvmArguments,
                pluginJar != null ? "xmpproxy started" : STOCK_STARTED);
    }

    /**
     * Starts the Openfire set up in {@code home} and waits until it logs {@code started} and takes clients on
     * {@code host}:{@code clientPort}.
     */
    static OpenfireServer launch(Path home, String host, int clientPort, int adminPort, List<String> jvmArguments,
                                 String started) throws Exception {
        debugLogging(home);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(jvmArguments);
        command.addAll(List.of(
                "-DopenfireHome=" + home,
                "-Dopenfire.lib.dir=" + home.resolve("lib"),
                "-Dlog4j.configurationFile=" + home.resolve("lib/log4j2.xml"),
                "-jar", home.resolve("lib/startup.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("logs/stdout.log").toFile()));
        Map<String, String> env = builder.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        OpenfireServer server = new OpenfireServer(home, host, clientPort, adminPort, builder);
        try {
            server.awaitLog(started, Duration.ofSeconds(120));
            server.awaitPort(clientPort, Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            System.err.println(server.diagnostics());
            server.close();
            throw e;
        }
        return server;
    }

    /** Openfire's process id (for jcmd and /proc). */
    public long pid() {
        return process.pid();
    }

    /** Stops Openfire and starts it again on the same installation (its database and settings kept). */
    void restart() throws Exception {
        long started = countInLog("xmpproxy started");
        stopProcess();
        process = launcher.start();
        awaitLogCount("xmpproxy started", started + 1, Duration.ofSeconds(120));
        awaitPort(clientPort, Duration.ofSeconds(60));
    }

    /** Kills Openfire as {@code kill -9} does: no shutdown, nothing flushed, sockets closed by the operating system. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("Openfire survived a kill");
        }
    }

    /** Stops Openfire as an admin does (its shutdown runs). */
    void stop() throws InterruptedException {
        stopProcess();
    }

    /** Starts a stopped or killed Openfire again on the same installation; waits until it takes clients. */
    void startAgain() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("Openfire runs");
        }
        long started = countInLog("xmpproxy started");
        process = launcher.start();
        awaitLogCount("xmpproxy started", started + 1, Duration.ofSeconds(120));
        awaitPort(clientPort, Duration.ofSeconds(60));
    }

    private void stopProcess() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    Path log() {
        return home.resolve("logs/openfire.log");
    }

    String logText() {
        try {
            return Files.isRegularFile(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long countInLog(String text) {
        String log = logText();
        long count = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + 1)) {
            count++;
        }
        return count;
    }

    void awaitLog(String text, Duration timeout) throws InterruptedException {
        awaitLogCount(text, 1, timeout);
    }

    void awaitLogCount(String text, long count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (countInLog(text) < count) {
            if (!process.isAlive()) {
                throw new AssertionError("Openfire exited while waiting for '" + text + "'");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no '" + text + "' (x" + count + ") in the Openfire log within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    void awaitPort(int port, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("port " + port + " not open within " + timeout);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Makes Openfire's plugin monitor reload the plugin: a JAR newer than its extracted directory. */
    void touchPlugin() throws IOException {
        Files.setLastModifiedTime(home.resolve("plugins/xmpproxy.jar"), FileTime.from(Instant.now().plusSeconds(1)));
    }

    public String diagnostics() {
        StringBuilder text = new StringBuilder("--- Openfire at " + home + " ---\n");
        for (Path log : List.of(home.resolve("logs/stdout.log"), log())) {
            try {
                if (Files.isRegularFile(log)) {
                    List<String> lines = Files.readAllLines(log);
                    text.append("--- ").append(log.getFileName()).append(" (last 60 lines)\n");
                    lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> text.append(l).append('\n'));
                }
            } catch (IOException e) {
                text.append(e).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws Exception {
        stopProcess();
        if (!Boolean.getBoolean("openfire.keep")) {
            deleteTree(home);
        } else {
            System.out.println("Kept the Openfire copy at " + home);
        }
    }

    /**
     * With {@code -Dopenfire.debug=<logger>} (e.g. {@code org.xmpproxy}), that logger of the copy logs at debug level:
     * to read after a run kept with {@code -Dopenfire.keep=true}.
     */
    private static void debugLogging(Path home) throws IOException {
        String logger = System.getProperty("openfire.debug", "");
        Path config = home.resolve("lib/log4j2.xml");
        String xml = Files.readString(config);
        if (logger.isBlank() || xml.contains("<Logger name=\"" + logger + "\"")) {
            return;
        }
        Files.writeString(config, xml.replace("<Loggers>", "<Loggers>\n        <Logger name=\"" + logger + "\" level=\"debug\"/>"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
