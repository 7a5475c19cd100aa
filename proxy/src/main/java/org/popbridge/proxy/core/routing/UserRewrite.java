package org.popbridge.proxy.core.routing;

import java.util.Objects;

/**
 * How a client's login name is changed before it goes to the upstream, for servers that
 * know their users by another form of the name than the clients send.
 */
public sealed interface UserRewrite {

    /** The name the upstream gets for {@code user}, the name the client sent. */
    String apply(String user);

    /** The name goes upstream as the client sent it. */
    static UserRewrite keep() {
        return Keep.INSTANCE;
    }

    /** {@code alice@example.com} goes upstream as {@code alice}. */
    static UserRewrite stripDomain() {
        return StripDomain.INSTANCE;
    }

    /**
     * {@code alice} goes upstream as {@code alice@DOMAIN}.
     *
     * @throws IllegalArgumentException if {@code domain} is not a domain
     */
    static UserRewrite addDomain(String domain) {
        return new AddDomain(domain);
    }

    /** No change. */
    record Keep() implements UserRewrite {
        private static final Keep INSTANCE = new Keep();

        @Override
        public String apply(String user) {
            return user;
        }

        @Override
        public String toString() {
            return "keep";
        }
    }

    /** Everything from the last @ on is dropped; a name without a domain is left alone. */
    record StripDomain() implements UserRewrite {
        private static final StripDomain INSTANCE = new StripDomain();

        @Override
        public String apply(String user) {
            // Only a domain proper is dropped: "@example.com" alone has no name to keep.
            return UserPattern.domainOf(user) == null ? user : user.substring(0, user.lastIndexOf('@'));
        }

        @Override
        public String toString() {
            return "strip-domain";
        }
    }

    /** {@code @domain} is added to a name that has none; a name with a domain is left alone. */
    record AddDomain(String domain) implements UserRewrite {

        public AddDomain {
            Objects.requireNonNull(domain, "domain");
            if (domain.isEmpty() || domain.codePoints().anyMatch(UserPattern::isBlankOrControl)
                    || domain.indexOf('@') >= 0 || domain.indexOf('*') >= 0
                    || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
                throw new IllegalArgumentException("'" + UserPattern.printable(domain) + "' is not a domain such as example.com");
            }
        }

        @Override
        public String apply(String user) {
            // An empty name stays empty: "@example.com" would be no one's login either.
            return user.isEmpty() || user.indexOf('@') >= 0 ? user : user + "@" + domain;
        }

        @Override
        public String toString() {
            return "add-domain " + domain;
        }
    }
}
