package org.popbridge.proxy.config;

import java.util.Locale;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UidlFormat;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/** The IMAP-only keys of an upstream (folder, mark-seen, without-uidplus, move-to, uidl-format), checked together. */
final class ImapSettings {

    static final String FLAG = "flag";
    static final String MOVE = "move";

    private ImapSettings() {
    }

    /**
     * The options for an IMAP upstream, defaults where a key is absent; null for a POP3
     * upstream, on which any of these keys is a mistake (it would silently do nothing).
     */
    static ImapOptions read(UpstreamScheme scheme, String url, String folder, Boolean markSeen,
                            String withoutUidplus, String moveTo, String uidlFormat) {
        if (scheme.protocol() != UpstreamScheme.Protocol.IMAP) {
            refuseOnPop3(url, "uidl-format", uidlFormat);
            refuseOnPop3(url, "folder", folder);
            refuseOnPop3(url, "mark-seen", markSeen);
            refuseOnPop3(url, "without-uidplus", withoutUidplus);
            refuseOnPop3(url, "move-to", moveTo);
            return null;
        }
        String maildrop = folder == null ? ImapOptions.DEFAULT_FOLDER : folderName("folder", folder);
        return new ImapOptions(maildrop, markSeen == null || markSeen, fallback(maildrop, withoutUidplus, moveTo),
                uidlFormat == null ? UidlFormat.DEFAULT : uidls(uidlFormat));
    }

    private static UidlFormat uidls(String pattern) {
        try {
            return UidlFormat.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new SettingException("uidl-format", e.getMessage());
        }
    }

    private static CommitFallback fallback(String maildrop, String withoutUidplus, String moveTo) {
        String mode = withoutUidplus == null ? FLAG : withoutUidplus.strip().toLowerCase(Locale.ROOT);
        if (mode.equals(FLAG)) {
            if (moveTo != null) {
                throw new SettingException("move-to", "only with without-uidplus: move");
            }
            return CommitFallback.flagOnly();
        }
        if (!mode.equals(MOVE)) {
            throw new SettingException("without-uidplus", "unknown value '" + withoutUidplus + "' (use flag or move)");
        }
        if (moveTo == null) {
            throw new SettingException("without-uidplus", "move needs move-to: the folder deleted messages go to");
        }
        String target = folderName("move-to", moveTo);
        if (sameFolder(target, maildrop)) {
            throw new SettingException("move-to", "'" + target + "' is the folder read as the maildrop; "
                    + "deleted messages would stay where they are");
        }
        return CommitFallback.moveTo(target);
    }

    private static String folderName(String key, String name) {
        if (name.isBlank()) {
            throw new SettingException(key, "must not be empty");
        }
        // A CR or LF would end the IMAP command line in the middle of the name.
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new SettingException(key, "must not contain control characters");
        }
        return name;
    }

    /** INBOX is case-insensitive in IMAP (RFC 9051 section 5.1); other names are not. */
    private static boolean sameFolder(String a, String b) {
        return a.equals(b) || (a.equalsIgnoreCase(ImapOptions.DEFAULT_FOLDER) && b.equalsIgnoreCase(ImapOptions.DEFAULT_FOLDER));
    }

    private static void refuseOnPop3(String url, String key, Object value) {
        if (value != null) {
            throw new SettingException(key, "only for an imap upstream; " + url + " speaks POP3");
        }
    }
}
