package org.xmpproxy.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.FixedMirrorConfig;
import org.xmpproxy.core.flow.HistorySink;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.flow.ResourcePresence;
import org.xmpproxy.core.settings.InMemoryAccountSettings;
import org.xmpproxy.core.settings.MirrorConfig;

/**
 * The work the interceptor adds to one message, as Openfire calls it: before routing, the
 * delivery of the original, after routing (including building and handing over the copies).
 * Run: {@code mvn -Pbench test-compile exec:exec}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InterceptorPathBenchmark {
    private static final JID HOME = new JID("john@example.org/home");
    private static final JID JANE = new JID("jane@example.org/laptop");

    private MirrorEngine engine;
    /** The load benchmark's "off" and "off-all" cases: john's mirroring off; jane (one resource) on, or off too. */
    private MirrorEngine johnOff;
    /** The same, jane keeping a history: her side is followed (recording itself left out: {@link HistorySink#NONE}). */
    private MirrorEngine johnOffJaneKeeps;
    private MirrorEngine bothOff;
    private Blackhole sinkHole;
    private Message groupchat;
    private Message headline;
    private Message incomingChat;
    private Message outgoingChat;

    @Setup
    public void setUp(Blackhole blackhole) throws Exception {
        sinkHole = blackhole;
        MirrorConfig config = FixedMirrorConfig.defaults();
        List<ResourcePresence> threeResources = List.of(
                new ResourcePresence(HOME, false),
                new ResourcePresence(new JID("john@example.org/work"), false),
                new ResourcePresence(new JID("john@example.org/phone"), true));
        engine = new MirrorEngine("example.org", config, new InMemoryAccountSettings(),
                account -> account.getNode().equals("john") ? threeResources : List.of(),
                (resource, copy) -> sinkHole.consume(copy), new MirrorCounters(), HistorySink.NONE);
        InMemoryAccountSettings johnOffSettings = new InMemoryAccountSettings();
        johnOffSettings.setMirroring(HOME.asBareJID(), false);
        List<ResourcePresence> janeAlone = List.of(new ResourcePresence(JANE, false));
        johnOff = new MirrorEngine("example.org", config, johnOffSettings,
                account -> account.getNode().equals("john") ? threeResources : janeAlone,
                (resource, copy) -> sinkHole.consume(copy), new MirrorCounters(), HistorySink.NONE);
        johnOff.keepsHistory(account -> false);
        johnOffJaneKeeps = new MirrorEngine("example.org", config, johnOffSettings,
                account -> account.getNode().equals("john") ? threeResources : janeAlone,
                (resource, copy) -> sinkHole.consume(copy), new MirrorCounters(), HistorySink.NONE);
        johnOffJaneKeeps.keepsHistory(account -> true);
        InMemoryAccountSettings bothOffSettings = new InMemoryAccountSettings();
        bothOffSettings.setMirroring(HOME.asBareJID(), false);
        bothOffSettings.setMirroring(JANE.asBareJID(), false);
        bothOff = new MirrorEngine("example.org", config, bothOffSettings,
                account -> account.getNode().equals("john") ? threeResources : janeAlone,
                (resource, copy) -> sinkHole.consume(copy), new MirrorCounters(), HistorySink.NONE);
        groupchat = parse("<message type='groupchat' id='g' from='room@muc.example.org/jane' to='john@example.org/home'><body>hello room</body></message>");
        headline = parse("<message type='headline' id='h' from='pubsub.example.org' to='john@example.org'><body>news</body></message>");
        incomingChat = parse("<message type='chat' id='i' from='jane@example.org/laptop' to='john@example.org/home'><body>Dinner at 7?</body><request xmlns='urn:xmpp:receipts'/></message>");
        outgoingChat = parse("<message type='chat' id='o' from='john@example.org/home' to='jane@example.org/laptop'><body>Yes, 7 is fine</body></message>");
    }

    private static Message parse(String xml) throws Exception {
        return new Message(DocumentHelper.parseText(xml).getRootElement());
    }

    /** A groupchat message to a local user: not eligible, no copies. */
    @Benchmark
    public void notEligibleGroupchat() {
        engine.beforeRouting(groupchat, null);
        engine.delivered(groupchat, HOME);
        engine.afterRouting(groupchat);
    }

    /** A headline to a local user: not eligible, no copies. */
    @Benchmark
    public void notEligibleHeadline() {
        engine.beforeRouting(headline, null);
        engine.delivered(headline, HOME);
        engine.afterRouting(headline);
    }

    /** A chat message from a local peer to john/home; john has 3 resources: 1 legacy copy, 1 skipped (carbons). */
    @Benchmark
    public void eligibleIncomingThreeResources() {
        engine.beforeRouting(incomingChat, JANE);
        engine.delivered(incomingChat, HOME);
        engine.afterRouting(incomingChat);
    }

    /** A chat message john/home sends; 1 legacy "sent" copy with the original forwarded, 1 skipped (carbons). */
    @Benchmark
    public void eligibleOutgoingThreeResources() {
        engine.beforeRouting(outgoingChat, HOME);
        engine.afterRouting(outgoingChat);
    }

    /** jane (one resource, mirroring on, no history) writes to john/home, whose mirroring is off: nothing to copy or keep. */
    @Benchmark
    public void mirroringOffPeerOn() {
        johnOff.beforeRouting(incomingChat, JANE);
        johnOff.delivered(incomingChat, HOME);
        johnOff.afterRouting(incomingChat);
    }

    /** The same, jane keeping a history: her side of the message is followed. */
    @Benchmark
    public void mirroringOffPeerOnKeepingHistory() {
        johnOffJaneKeeps.beforeRouting(incomingChat, JANE);
        johnOffJaneKeeps.delivered(incomingChat, HOME);
        johnOffJaneKeeps.afterRouting(incomingChat);
    }

    /** The same with jane's mirroring off too: xmpproxy has nothing to do. */
    @Benchmark
    public void mirroringOffBothAccounts() {
        bothOff.beforeRouting(incomingChat, JANE);
        bothOff.delivered(incomingChat, HOME);
        bothOff.afterRouting(incomingChat);
    }
}
