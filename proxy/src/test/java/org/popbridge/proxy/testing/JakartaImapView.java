package org.popbridge.proxy.testing;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;

/**
 * A mailbox as a second, independent IMAP client sees it (Jakarta Mail): what the tests check
 * popbridge's results against, and how they play "another client" changing the mailbox.
 */
public final class JakartaImapView {

    /** Something done with the open INBOX. */
    public interface FolderAction {
        void run(IMAPFolder folder) throws Exception;
    }

    private final int port;
    private final String user;
    private final String password;

    public JakartaImapView(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
    }

    public void withInbox(int mode, FolderAction action) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", port, user, password);
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
            folder.open(mode);
            try {
                action.run(folder);
            } finally {
                folder.close(false);
            }
        } finally {
            store.close();
        }
    }

    /** Each message's octets as the server serves BODY.PEEK[]. */
    public List<byte[]> rawMessages() throws Exception {
        List<byte[]> raw = new ArrayList<>();
        withInbox(Folder.READ_ONLY, folder -> {
            for (Message message : folder.getMessages()) {
                int number = message.getMessageNumber();
                raw.add((byte[]) folder.doCommand(
                        protocol -> protocol.peekBody(number, "").getByteArrayInputStream().readAllBytes()));
            }
        });
        return raw;
    }

    /** RFC822.SIZE of each message, as the server reports it. */
    public List<Long> rfc822Sizes() throws Exception {
        List<Long> sizes = new ArrayList<>();
        withInbox(Folder.READ_ONLY, folder -> {
            for (Message message : folder.getMessages()) {
                sizes.add((long) message.getSize());
            }
        });
        return sizes;
    }

    public List<Long> uids() throws Exception {
        List<Long> uids = new ArrayList<>();
        withInbox(Folder.READ_ONLY, folder -> {
            for (Message message : folder.getMessages()) {
                uids.add(folder.getUID(message));
            }
        });
        return uids;
    }

    public long uidValidity() throws Exception {
        long[] value = new long[1];
        withInbox(Folder.READ_ONLY, folder -> value[0] = folder.getUIDValidity());
        return value[0];
    }

    public List<String> subjects() throws Exception {
        List<String> subjects = new ArrayList<>();
        withInbox(Folder.READ_ONLY, folder -> {
            for (Message message : folder.getMessages()) {
                subjects.add(message.getSubject());
            }
        });
        return subjects;
    }

    /** For each message, whether {@code flag} is set. */
    public List<Boolean> flags(Flags.Flag flag) throws Exception {
        List<Boolean> set = new ArrayList<>();
        withInbox(Folder.READ_ONLY, folder -> {
            for (Message message : folder.getMessages()) {
                set.add(((IMAPMessage) message).isSet(flag));
            }
        });
        return set;
    }

    /** Another client creates {@code folder} if need be and appends {@code message} to it. */
    public void appendTo(String folder, jakarta.mail.Message message) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", port, user, password);
        try {
            Folder target = store.getFolder(folder);
            if (!target.exists()) {
                target.create(Folder.HOLDS_MESSAGES);
            }
            target.appendMessages(new jakarta.mail.Message[] {message});
        } finally {
            store.close();
        }
    }

    /** Another client deletes the message with this UID and expunges it. */
    public void expunge(long uid) throws Exception {
        withInbox(Folder.READ_WRITE, folder -> {
            Message message = folder.getMessageByUID(uid);
            message.setFlag(Flags.Flag.DELETED, true);
            folder.expunge(new Message[] {message});
        });
    }
}
