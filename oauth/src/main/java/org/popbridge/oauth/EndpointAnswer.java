package org.popbridge.oauth;

import com.fasterxml.jackson.databind.JsonNode;

/** What a token, device-authorization or revocation endpoint said: a JSON object, or a refusal. */
sealed interface EndpointAnswer {

    /** A 2xx answer; the body is an empty object when the endpoint sent none (RFC 7009 revocation). */
    record Success(JsonNode body) implements EndpointAnswer {
        @Override
        public String toString() {
            return "Success[body hidden]";
        }
    }

    /**
     * An RFC 6749 5.2 error answer: the error code and a description cleaned for a log line (printable
     * ASCII, bounded, and with every secret of the request cut out).
     */
    record Refusal(int status, String error, String description) implements EndpointAnswer {
    }
}
