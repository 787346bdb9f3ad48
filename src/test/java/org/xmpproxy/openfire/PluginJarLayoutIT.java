package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.dom4j.Document;
import org.dom4j.io.SAXReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens the JAR an admin uploads and checks what Openfire's PluginManager will find in it. */
class PluginJarLayoutIT {
    private static final Path JAR = Path.of(System.getProperty("xmpproxy.jar", "target/xmpproxy.jar"));
    private static List<String> entries;
    private static List<String> libClasses;

    @BeforeAll
    static void open() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "mvn package must produce " + JAR);
        entries = new ArrayList<>();
        libClasses = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                entries.add(entry.getName());
                if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar")) {
                    try (InputStream in = jar.getInputStream(entry);
                         JarInputStream inner = new JarInputStream(new ByteArrayInputStream(in.readAllBytes()))) {
                        for (JarEntry e = inner.getNextJarEntry(); e != null; e = inner.getNextJarEntry()) {
                            libClasses.add(entry.getName() + "!" + e.getName());
                        }
                    }
                }
            }
        }
    }

    @Test
    void metadataAndDocumentsAreAtTheRoot() {
        for (String name : List.of("plugin.xml", "readme.html", "changelog.html", "logo_small.png", "logo_large.png")) {
            assertTrue(entries.contains(name), name + " at the root of the plugin JAR");
        }
        assertTrue(entries.contains("i18n/xmpproxy_i18n.properties"));
        assertTrue(entries.contains("i18n/xmpproxy_i18n_sv.properties"));
    }

    @Test
    void pluginXmlNamesTheClassAndHasFilledInVersionAndDate() throws Exception {
        Document xml;
        try (JarFile jar = new JarFile(JAR.toFile()); InputStream in = jar.getInputStream(jar.getEntry("plugin.xml"))) {
            xml = new SAXReader().read(in);
        }
        assertEquals("org.xmpproxy.openfire.XmpproxyPlugin", xml.getRootElement().elementTextTrim("class"));
        assertEquals(XmpproxyProperties.PLUGIN_NAME, xml.getRootElement().elementTextTrim("name"), "SystemProperty plugin name");
        assertTrue(xml.getRootElement().elementTextTrim("version").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), xml.getRootElement().elementTextTrim("version"));
        assertTrue(xml.getRootElement().elementTextTrim("date").matches("\\d{4}-\\d{2}-\\d{2}"), xml.getRootElement().elementTextTrim("date"));
        assertEquals("5.0.0", xml.getRootElement().elementTextTrim("minServerVersion"));
        assertFalse(xml.getRootElement().elementTextTrim("licenseType").isBlank());
    }

    @Test
    void ourClassesShipAsOneLibraryJar() {
        List<String> libs = entries.stream().filter(e -> e.startsWith("lib/") && e.endsWith(".jar")).toList();
        assertEquals(1, libs.size(), "lib/ holds exactly our own classes: " + libs);
        assertTrue(libs.get(0).matches("lib/xmpproxy-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\.jar"), libs.get(0));
        assertTrue(libClasses.contains(libs.get(0) + "!org/xmpproxy/openfire/XmpproxyPlugin.class"));
        assertTrue(libClasses.contains(libs.get(0) + "!org/xmpproxy/core/rule/MirrorRule.class"));
    }

    @Test
    void nothingTheServerProvidesIsPackaged() {
        List<String> leaked = new ArrayList<>();
        for (String name : concat(entries, libClasses)) {
            String path = name.contains("!") ? name.substring(name.indexOf('!') + 1) : name;
            if (path.startsWith("org/jivesoftware/") || path.startsWith("org/xmpp/") || path.startsWith("org/dom4j/")
                    || path.startsWith("org/slf4j/") || path.startsWith("javax/servlet/")) {
                leaked.add(name);
            }
        }
        assertEquals(List.of(), leaked, "Openfire, Tinder, dom4j, slf4j and servlet classes come from the server");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
