package org.popbridge.bench;

/** A mailbox the benchmark logs in to. */
record Account(String user, String password) {
}
