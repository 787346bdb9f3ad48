package org.xmpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/design.md, read from the sources' imports: only {@code openfire} touches
 * Openfire, {@code core} touches nothing outside itself, and no two packages depend on each other.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/xmpproxy");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\.[\\w*]+\\s*;", Pattern.MULTILINE);

    /** Which of our packages each package may use (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("core.stanza", Set.of()),
            Map.entry("core.rule", Set.of("core.stanza")),
            Map.entry("core.copy", Set.of("core.rule", "core.stanza")),
            Map.entry("core.settings", Set.of("core.rule")),
            Map.entry("core.catchup", Set.of("core.rule", "core.stanza")),
            Map.entry("core.flow", Set.of("core.rule", "core.copy", "core.settings", "core.stanza")),
            Map.entry("core.stats", Set.of()),
            Map.entry("core.threads", Set.of()),
            Map.entry("store", Set.of("core.rule", "core.copy", "core.settings", "core.catchup", "core.flow", "core.stanza",
                    "core.stats", "core.threads")),
            // The bot checks names against the store's column sizes (ColumnLimits), so a refusal comes before any write;
            // nothing else of the store (see theBotUsesOnlyTheStoresColumnLimits).
            Map.entry("bot", Set.of("core.rule", "core.settings", "core.stanza", "core.catchup", "core.stats", "core.threads", "store")),
            // The page checks values against the settings' bounds (core/settings/Bounds) and the store's columns (ColumnLimits).
            Map.entry("admin", Set.of("core.settings", "core.stats", "store")));

    @Test
    void onlyTheOpenfireAdapterImportsOpenfire() {
        Map<String, Set<String>> offenders = new TreeMap<>();
        imports().forEach((pkg, imported) -> imported.stream()
                .filter(name -> name.startsWith("org.jivesoftware"))
                .filter(name -> !pkg.equals("openfire"))
                .forEach(name -> offenders.computeIfAbsent(pkg, k -> new TreeSet<>()).add(name)));
        assertEquals(Map.of(), offenders, "Openfire classes imported outside org.xmpproxy.openfire");
    }

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        Map<String, Set<String>> forbidden = new TreeMap<>();
        imports().forEach((pkg, imported) -> {
            if (pkg.equals("openfire")) {
                return; // the adapter wires everything together
            }
            Set<String> allowed = ALLOWED.get(pkg);
            assertTrue(allowed != null, "a new package needs a line in ALLOWED and a package-info.java: " + pkg);
            ours(imported).stream().filter(used -> !used.equals(pkg) && !allowed.contains(used))
                    .forEach(used -> forbidden.computeIfAbsent(pkg, k -> new TreeSet<>()).add(used));
        });
        assertEquals(Map.of(), forbidden, "package -> our packages it may not use");
    }

    @Test
    void everyPackageSaysWhatLivesThereAndWhatItMayImport() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String pkg : imports().keySet()) {
            if (!Files.isRegularFile(SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java"))) {
                missing.add(pkg);
            }
        }
        assertEquals(List.of(), missing, "packages without package-info.java");
    }

    /** The bot reads and changes the store only through BotBackend; of the store it knows the column sizes alone. */
    @Test
    void theBotUsesOnlyTheStoresColumnLimits() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("bot"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = Pattern.compile("^import\\s+(org\\.xmpproxy\\.store\\.[\\w.]+)\\s*;", Pattern.MULTILINE)
                        .matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        assertEquals(Set.of("org.xmpproxy.store.ColumnLimits"), used);
    }

    /** Package (relative to org.xmpproxy) to the packages its classes import. */
    private static Map<String, Set<String>> imports() {
        Map<String, Set<String>> result = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> imported = result.computeIfAbsent(pkg, k -> new TreeSet<>());
                try {
                    Matcher matcher = IMPORT.matcher(Files.readString(file));
                    while (matcher.find()) {
                        imported.add(matcher.group(1));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    private static Set<String> ours(Set<String> imported) {
        Set<String> result = new TreeSet<>();
        for (String name : imported) {
            if (name.startsWith("org.xmpproxy.")) {
                String rest = name.substring("org.xmpproxy.".length());
                // org.xmpproxy.core.rule.Plan (nested import) -> core.rule; org.xmpproxy.store -> store
                String[] parts = rest.split("\\.");
                result.add(parts[0].equals("core") && parts.length > 1 ? "core." + parts[1] : parts[0]);
            }
        }
        return result;
    }
}
