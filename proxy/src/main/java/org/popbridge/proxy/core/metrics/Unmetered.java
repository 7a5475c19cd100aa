package org.popbridge.proxy.core.metrics;

/** The meters of a proxy without a metrics endpoint: each event is dropped. */
final class Unmetered implements ListenerMeters {

    @Override
    public void sessionOpened() {
    }

    @Override
    public void sessionClosed() {
    }

    @Override
    public void loggedIn() {
    }

    @Override
    public void loginFailed(LoginFailure reason) {
    }

    @Override
    public void bearerLoggedIn() {
    }

    @Override
    public void tokenFailed(TokenFailure reason) {
    }

    @Override
    public void upstreamFailed(String route, UpstreamStage stage) {
    }

    @Override
    public void octetsFromClient(long octets) {
    }

    @Override
    public void octetsToClient(long octets) {
    }

    @Override
    public void retrieved() {
    }

    @Override
    public void deleted(int count) {
    }

    @Override
    public void sent() {
    }

    @Override
    public void clientTls(String version, String cipher) {
    }

    @Override
    public void clientTlsFailed() {
    }

    @Override
    public void limitHit(Limit limit) {
    }
}
