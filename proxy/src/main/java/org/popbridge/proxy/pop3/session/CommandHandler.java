package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/** What the proxy does with one command once its state and syntax have been checked. */
interface CommandHandler {

    void handle(Pop3Verb verb, Pop3Command command, SessionContext session);
}
