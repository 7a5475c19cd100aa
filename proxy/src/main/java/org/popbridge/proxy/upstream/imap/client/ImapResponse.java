package org.popbridge.proxy.upstream.imap.client;

/**
 * A whole server response as {@link ImapResponseParser} reads it from its text: the
 * responses popbridge acts on, and {@link UnparsedResponse} for the rest.
 */
public sealed interface ImapResponse permits StatusResponse, ContinuationRequest, Capabilities, EnabledResponse,
        ExistsResponse, ExpungeResponse, VanishedResponse, FetchResponse, SearchResponse, UnparsedResponse {
}
