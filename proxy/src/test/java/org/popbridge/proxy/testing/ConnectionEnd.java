package org.popbridge.proxy.testing;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** Reading up to the end of a connection the server closes, whether it ends with FIN or RST. */
public final class ConnectionEnd {

    private ConnectionEnd() {
    }

    /**
     * The lines the server still sends before it closes. A reset counts as the close: a server that
     * closes with unread input from the client resets the connection. A read timeout still fails.
     */
    public static List<String> linesUntilClosed(RawPop3Client client) throws IOException {
        List<String> lines = new ArrayList<>();
        try {
            String line;
            while ((line = client.readLine()) != null) {
                lines.add(line);
            }
        } catch (SocketException e) {
            // Reset by the peer after its last line: closed as well.
        }
        return lines;
    }
}
