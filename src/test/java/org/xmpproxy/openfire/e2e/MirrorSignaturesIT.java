package org.xmpproxy.openfire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every class of the compile-only Openfire mirror against the real one in the installation given with
 * {@code -Dopenfire.home}: same kind (class or interface), and every member the plugin may call with the
 * same parameters, return type, static-ness and checked exceptions. A difference would be a
 * NoSuchMethodError or IncompatibleClassChangeError inside Openfire.
 */
class MirrorSignaturesIT {
    @Test
    void theMirrorMatchesTheRealOpenfireApi() throws Exception {
        var installation = OpenfireServer.installation();
        if (installation.isEmpty()) {
            System.out.println("SKIPPED MirrorSignaturesIT: no -Dopenfire.home to compare the Openfire API mirror with");
        }
        Assumptions.assumeTrue(installation.isPresent(), "-Dopenfire.home not given");
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(installation.get().resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        Path mirror = Path.of("target/classes/org/jivesoftware");
        List<String> problems = new ArrayList<>();
        int compared = 0;
        // The mirror is compiled to target/classes but kept out of the JAR failsafe puts on the class path.
        try (URLClassLoader real = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
             URLClassLoader mirrorLoader = new URLClassLoader(new URL[] {Path.of("target/classes").toUri().toURL()},
                     getClass().getClassLoader());
             Stream<Path> classes = Files.walk(mirror)) {
            for (Path file : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = Path.of("target/classes").relativize(file).toString().replace('/', '.').replace(".class", "");
                Class<?> ours = Class.forName(name, false, mirrorLoader);
                Class<?> theirs = Class.forName(name, false, real);
                compared++;
                if (ours.isInterface() != theirs.isInterface() || ours.isEnum() != theirs.isEnum()) {
                    problems.add(name + ": class vs interface/enum differs");
                }
                for (Method method : ours.getDeclaredMethods()) {
                    if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
                        compare(problems, method, find(theirs, method));
                    }
                }
                for (Constructor<?> constructor : ours.getDeclaredConstructors()) {
                    if (Modifier.isPublic(constructor.getModifiers())) {
                        compare(problems, constructor, find(theirs, constructor));
                    }
                }
                for (Field field : ours.getDeclaredFields()) {
                    if (Modifier.isPublic(field.getModifiers()) && !field.isSynthetic() && !field.isEnumConstant()) {
                        try {
                            Field real2 = theirs.getField(field.getName());
                            if (!real2.getType().getName().equals(field.getType().getName())
                                    || Modifier.isStatic(real2.getModifiers()) != Modifier.isStatic(field.getModifiers())) {
                                problems.add(name + "." + field.getName() + ": field differs");
                            }
                        } catch (NoSuchFieldException e) {
                            problems.add(name + "." + field.getName() + ": no such field in Openfire");
                        }
                    }
                }
            }
        }
        System.out.printf("Compared %d mirror classes with Openfire's%n", compared);
        assertTrue(compared >= 20, "found the mirror's classes: " + compared);
        assertEquals(List.of(), problems);
    }

    private static Executable find(Class<?> theirs, Executable ours) {
        String[] parameters = Arrays.stream(ours.getParameterTypes()).map(Class::getName).toArray(String[]::new);
        List<Executable> candidates = new ArrayList<>(Arrays.asList(theirs.getDeclaredConstructors()));
        if (ours instanceof Method) {
            candidates = new ArrayList<>();
            for (Class<?> c = theirs; c != null; c = c.getSuperclass()) {
                candidates.addAll(Arrays.asList(c.getDeclaredMethods()));
            }
            for (Class<?> i : theirs.getInterfaces()) {
                candidates.addAll(Arrays.asList(i.getMethods()));
            }
        }
        for (Executable candidate : candidates) {
            String[] theirParameters = Arrays.stream(candidate.getParameterTypes()).map(Class::getName).toArray(String[]::new);
            boolean sameName = ours instanceof Constructor || candidate.getName().equals(ours.getName());
            if (sameName && Arrays.equals(parameters, theirParameters) && Modifier.isPublic(candidate.getModifiers())) {
                return candidate;
            }
        }
        return null;
    }

    private static void compare(List<String> problems, Executable ours, Executable theirs) {
        String where = ours.getDeclaringClass().getName() + "." + ours.getName() + Arrays.toString(ours.getParameterTypes());
        if (theirs == null) {
            problems.add(where + ": not in Openfire");
            return;
        }
        if (Modifier.isStatic(ours.getModifiers()) != Modifier.isStatic(theirs.getModifiers())) {
            problems.add(where + ": static differs");
        }
        if (ours instanceof Method method && !method.getReturnType().getName().equals(((Method) theirs).getReturnType().getName())) {
            problems.add(where + ": returns " + ((Method) theirs).getReturnType().getName() + " in Openfire");
        }
        List<String> ourChecked = checked(ours.getExceptionTypes());
        List<String> theirChecked = checked(theirs.getExceptionTypes());
        if (!theirChecked.containsAll(ourChecked) || !ourChecked.containsAll(theirChecked)) {
            problems.add(where + ": throws " + theirChecked + " in Openfire, " + ourChecked + " in the mirror");
        }
    }

    private static List<String> checked(Class<?>[] exceptions) {
        return Arrays.stream(exceptions).filter(e -> !RuntimeException.class.isAssignableFrom(e) && !Error.class.isAssignableFrom(e))
                .map(Class::getName).sorted().toList();
    }
}
