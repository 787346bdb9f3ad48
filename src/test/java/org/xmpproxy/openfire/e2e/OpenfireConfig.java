package org.xmpproxy.openfire.e2e;

import java.util.List;

/**
 * {@code conf/openfire.xml} for an unattended first start: Openfire's {@code <autosetup>} (read by
 * {@code XMPPServer.runAutoSetup}) creates the embedded database, the admin and the test users; every
 * other XML property is copied into the database at the end of setup, which is how the ports, the
 * plugin monitor's interval and a catch-up bound large enough for the 1,000-message measurement are set.
 */
final class OpenfireConfig {
    private OpenfireConfig() {
    }

    static String autosetup(String domain, int clientPort, int adminPort, int adminSecurePort, List<String> users,
                            String password, String adminPassword) {
        return autosetup(domain, clientPort, adminPort, adminSecurePort, users, password, adminPassword, "");
    }

    /** As above, with more xmpproxy properties ({@code xmpproxyXml}: children of {@code <xmpproxy>}, e.g. {@code <history>...}). */
    static String autosetup(String domain, int clientPort, int adminPort, int adminSecurePort, List<String> users,
                            String password, String adminPassword, String xmpproxyXml) {
        return autosetup(domain, clientPort, adminPort, adminSecurePort, users, password, adminPassword, xmpproxyXml,
                EMBEDDED_DATABASE, onlyOn("127.0.0.1"));
    }

    /** Every listener on this address (client, admin console, HTTP binding, file-transfer proxy): a test server is reached from loopback only. */
    private static String onlyOn(String host) {
        return "<network><interface>" + host + "</interface></network>";
    }

    private static final String EMBEDDED_DATABASE = "<database><mode>embedded</mode></database>";

    /**
     * The first node of a cluster: the database is PostgreSQL at {@code databaseUrl} (user and password
     * {@code xmpproxy}), every listener on {@code host}, clustering on (the Hazelcast plugin joins when it loads);
     * {@code xmpproxyXml} as for {@link #autosetup(String, int, int, int, List, String, String, String)}.
     */
    static String clusterNode(String domain, String host, int clientPort, int adminPort, int adminSecurePort, List<String> users,
                              String password, String adminPassword, String databaseUrl, String xmpproxyXml) {
        String database = "<database><mode>standard</mode><defaultProvider><driver>org.postgresql.Driver</driver>"
                + "<serverURL>" + databaseUrl + "</serverURL><username>xmpproxy</username><password>xmpproxy</password>"
                + "<minConnections>2</minConnections><maxConnections>20</maxConnections></defaultProvider></database>";
        String node = onlyOn(host) + "<clustering><enabled>true</enabled></clustering>";
        return autosetup(domain, clientPort, adminPort, adminSecurePort, users, password, adminPassword, xmpproxyXml, database, node)
                .replace("org.jivesoftware.database.EmbeddedConnectionProvider", "org.jivesoftware.database.DefaultConnectionProvider");
    }

    private static String autosetup(String domain, int clientPort, int adminPort, int adminSecurePort, List<String> users,
                                    String password, String adminPassword, String xmpproxyXml, String databaseXml,
                                    String nodeXml) {
        StringBuilder userXml = new StringBuilder();
        for (int i = 0; i < users.size(); i++) {
            userXml.append("            <user").append(i + 1).append("><username>").append(users.get(i))
                    .append("</username><password>").append(password).append("</password></user")
                    .append(i + 1).append(">\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <jive>
                    <adminConsole>
                        <port>%d</port>
                        <securePort>%d</securePort>
                    </adminConsole>
                    <locale>en</locale>
                    %s
                    <connectionProvider>
                        <className>org.jivesoftware.database.EmbeddedConnectionProvider</className>
                    </connectionProvider>
                    <xmpp>
                        <socket>
                            <plain><port>%d</port></plain>
                            <ssl><active>false</active></ssl>
                        </socket>
                        <server><socket><active>false</active></socket></server>
                        <component><socket><active>false</active></socket></component>
                        <multiplex><socket><active>false</active></socket></multiplex>
                        <proxy><enabled>false</enabled></proxy>
                    </xmpp>
                    <httpbind><enabled>false</enabled></httpbind>
                    <update><service-enabled>false</service-enabled></update>
                    <xmpproxy><catchup><maxCount>2000</maxCount></catchup><bot><rateBurst>200</rateBurst></bot>%s</xmpproxy>
                    <plugins><loading><monitor><interval>2</interval></monitor></loading></plugins>
                    <autosetup>
                        <run>true</run>
                        <locale>en</locale>
                        <xmpp>
                            <domain>%s</domain>
                            <fqdn>localhost</fqdn>
                        </xmpp>
                        %s
                        <admin>
                            <email>admin@%s</email>
                            <password>%s</password>
                        </admin>
                        <authprovider><mode>default</mode></authprovider>
                        <users>
                %s        </users>
                    </autosetup>
                </jive>
                """.formatted(adminPort, adminSecurePort, nodeXml, clientPort, xmpproxyXml, domain, databaseXml, domain, adminPassword, userXml);
    }
}
