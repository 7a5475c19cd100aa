package org.popbridge.proxy.cli;

import org.popbridge.oauth.TokenStore;

/** The user and account names the token store takes: 1 to 320 printable characters. */
final class UserNames {

    private UserNames() {
    }

    static void check(String what, String name) throws BadInputException {
        if (name == null || name.isEmpty() || name.length() > TokenStore.MAX_NAME_LENGTH
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new BadInputException(what + ": a name must be 1 to " + TokenStore.MAX_NAME_LENGTH
                    + " printable characters");
        }
    }
}
