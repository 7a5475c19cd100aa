package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.proxy.core.session.CidrBlock;
import org.popbridge.proxy.core.session.TrustedProxies;

/**
 * A listener's {@code proxy-protocol:} (HAProxy's PROXY protocol, versions 1 and 2, told apart
 * by their first octets): {@code trusted}, the networks of the load balancers allowed to connect
 * and say where their clients are, as CIDR blocks, IPv4 or IPv6.
 */
public record ProxyProtocolConfig(TrustedProxies proxies) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static ProxyProtocolConfig of(@JsonProperty("trusted") List<String> trusted) {
        if (trusted == null || trusted.isEmpty()) {
            throw new SettingException("trusted", "the load balancers' networks, e.g. trusted: [10.0.0.0/8]; "
                    + "every connection to this listener must come from one of them");
        }
        List<CidrBlock> networks = new ArrayList<>();
        for (int index = 0; index < trusted.size(); index++) {
            try {
                networks.add(CidrBlock.parse(trusted.get(index)));
            } catch (IllegalArgumentException e) {
                throw new SettingException("trusted", index, e.getMessage());
            }
        }
        return new ProxyProtocolConfig(TrustedProxies.of(networks));
    }

    /** A version where the networks go: the listener reads either version by itself. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ProxyProtocolConfig written(String version) {
        throw new SettingException("trusted", "a listener's proxy-protocol takes trusted: [CIDR, ...], the load "
                + "balancers' networks; it reads v1 and v2 headers alike ('" + version + "' is for an upstream)");
    }
}
