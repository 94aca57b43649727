/*
 * Starts AWS's DynamoDB Local listening on 127.0.0.1 only.
 *
 * DynamoDB Local has no option for the address it listens on: its options are
 * -port, -inMemory, -dbPath, -sharedDb, -cors, -delayTransientStatuses,
 * -optimizeDbBeforeStartup, -disableTelemetry and -version, and its
 * DynamoDBProxyServer builds its Jetty server with `new Server(port)`, which
 * listens on every interface. Anyone who can reach the machine could then read
 * embargoed stories and write an API key Newswire would accept (DynamoDB Local
 * takes any credentials). This launcher builds the same server from the same
 * command line, points its Jetty connector at the loopback address before it
 * starts, and starts it. Newswire runs it with Java's source launcher
 * (`java -cp <DynamoDB Local's jars> dynamodb-loopback.java <options>`), so
 * there is nothing to compile or ship but this file.
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class DynamoDbLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
    System.out.println("DynamoDB Local listens on 127.0.0.1:" + ((ServerConnector) connectors[0]).getPort());
  }
}
