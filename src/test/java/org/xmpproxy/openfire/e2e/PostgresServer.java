package org.xmpproxy.openfire.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server on 127.0.0.1 for the cluster suite (the nodes of a cluster share one database;
 * Openfire's embedded one cannot be shared): Debian's server binaries, a data directory of its own, trust
 * authentication on loopback, database and user {@code xmpproxy}. As {@code .ci/databases} does, it runs as the
 * {@code postgres} system user when the tests run as root.
 */
final class PostgresServer implements AutoCloseable {
    private final Path binaries;
    private final Path data;
    final int port;

    private PostgresServer(Path binaries, Path data, int port) {
        this.binaries = binaries;
        this.data = data;
        this.port = port;
    }

    /** Debian's PostgreSQL server binaries (the newest installed), or empty. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static PostgresServer start(Path binaries) throws Exception {
        Path data = Files.createTempDirectory("xmpproxy-cluster-pg-");
        PostgresServer server = new PostgresServer(binaries, data, OpenfireServer.freePort());
        try {
            server.run(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
            server.run(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w",
                    "-o", "-p " + server.port + " -k " + data + " -c listen_addresses=127.0.0.1", "start");
            server.run(binaries.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(server.port), "-U", "postgres", "-q",
                    "-c", "CREATE USER xmpproxy PASSWORD 'xmpproxy'", "-c", "CREATE DATABASE xmpproxy OWNER xmpproxy");
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/xmpproxy";
    }

    private void run(String... command) throws Exception {
        List<String> line = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
            new ProcessBuilder("chown", "-R", "postgres:postgres", data.toString()).inheritIO().start().waitFor();
        }
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("PostgreSQL: " + String.join(" ", command) + " failed:\n" + output);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            if (!Boolean.getBoolean("openfire.keep")) {
                OpenfireServer.deleteTree(data);
            } else {
                System.out.println("Kept the PostgreSQL data at " + data + " (pg_ctl -D it start to read it)");
            }
        }
    }
}
