package org.popbridge.proxy.cli;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.foedus.util.MsgRangeFilter;
import com.icegreen.greenmail.pop3.Pop3Connection;
import com.icegreen.greenmail.pop3.Pop3Handler;
import com.icegreen.greenmail.pop3.Pop3Server;
import com.icegreen.greenmail.pop3.Pop3State;
import com.icegreen.greenmail.pop3.commands.Pop3Command;
import com.icegreen.greenmail.pop3.commands.Pop3CommandRegistry;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.EncodingUtil;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.InternetPrintWriter;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * The demo's sample mail server: GreenMail, whose POP3 LIST and STAT give each message's size
 * as what RETR sends. GreenMail's own give the body's size only (223 octets for a message RETR
 * sends as 460), so a newcomer's first LIST through popbridge disagreed with what it fetched.
 */
final class SampleMailServer extends GreenMail {

    SampleMailServer(ServerSetup... setups) {
        super(setups);
    }

    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers managers) {
        Map<String, AbstractServer> services = super.createServices(setups, managers);
        for (ServerSetup setup : setups) {
            if (ServerSetup.PROTOCOL_POP3.equals(setup.getProtocol())) {
                services.put(setup.getProtocol(), new SizedPop3Server(setup, managers));
            }
        }
        return services;
    }

    /** The octets RETR sends for {@code message}, dot-stuffing undone: GreenMail's whole message and its line end. */
    static long retrievedSize(StoredMessage message) {
        ByteArrayOutputStream octets = new ByteArrayOutputStream();
        // The same writer and charset GreenMail's RETR writes with (Pop3Connection).
        InternetPrintWriter writer = InternetPrintWriter.createForEncoding(octets, true,
                EncodingUtil.CHARSET_EIGHT_BIT_ENCODING);
        writer.println(GreenMailUtil.getWholeMessage(message.getMimeMessage()));
        writer.flush();
        return octets.size();
    }

    private static final class SizedPop3Server extends Pop3Server {
        SizedPop3Server(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            return new Pop3Handler(new SizedCommands(), managers.getUserManager(), socket);
        }
    }

    /** GreenMail's commands, with LIST and STAT counting what RETR sends. */
    private static final class SizedCommands extends Pop3CommandRegistry {
        private static final Pop3Command LIST = new SizedList();
        private static final Pop3Command STAT = new SizedStat();

        @Override
        public Pop3Command getCommand(String name) {
            return switch (name.toUpperCase(java.util.Locale.ROOT)) {
                case "LIST" -> LIST;
                case "STAT" -> STAT;
                default -> super.getCommand(name);
            };
        }
    }

    /** RFC 1939 LIST, with or without a message number. */
    private static final class SizedList extends Pop3Command {
        @Override
        public boolean isValidForState(Pop3State state) {
            return state.isAuthenticated();
        }

        @Override
        public void execute(Pop3Connection conn, Pop3State state, String command) {
            try {
                MailFolder inbox = state.getFolder();
                String[] words = command.split(" ");
                if (words.length > 1) {
                    List<StoredMessage> messages = inbox.getMessages(new MsgRangeFilter(words[1], false));
                    if (messages.size() != 1) {
                        conn.println("-ERR no such message");
                        return;
                    }
                    StoredMessage message = messages.get(0);
                    conn.println("+OK " + inbox.getMsn(message.getUid()) + " " + retrievedSize(message));
                    return;
                }
                List<StoredMessage> messages = inbox.getNonDeletedMessages();
                conn.println("+OK");
                for (StoredMessage message : messages) {
                    conn.println(inbox.getMsn(message.getUid()) + " " + retrievedSize(message));
                }
                conn.println(".");
            } catch (Exception e) {
                conn.println("-ERR " + e);
            }
        }
    }

    /** RFC 1939 STAT: the messages and their total size, as RETR sends them. */
    private static final class SizedStat extends Pop3Command {
        @Override
        public boolean isValidForState(Pop3State state) {
            return state.isAuthenticated();
        }

        @Override
        public void execute(Pop3Connection conn, Pop3State state, String command) {
            try {
                List<StoredMessage> messages = state.getFolder().getNonDeletedMessages();
                long total = messages.stream().mapToLong(SampleMailServer::retrievedSize).sum();
                conn.println("+OK " + messages.size() + " " + total);
            } catch (Exception e) {
                conn.println("-ERR " + e);
            }
        }
    }
}
