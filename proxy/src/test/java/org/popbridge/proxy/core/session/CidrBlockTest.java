package org.popbridge.proxy.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CIDR blocks as a listener's trusted load balancers are written, IPv4 and IPv6. */
class CidrBlockTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.255.3.4, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.5/32, 192.168.1.5, true",
        "192.168.1.5/32, 192.168.1.6, false",
        "192.168.1.5, 192.168.1.5, true",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "0.0.0.0/0, 203.0.113.7, true",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::1, ::1, true",
        "0.0.0.0/0, ::1, false",
        "::/0, 127.0.0.1, false"})
    void anAddressIsInABlockWhenItsPrefixMatches(String block, String address, boolean inside) throws Exception {
        assertThat(CidrBlock.parse(block).contains(InetAddress.getByName(address))).isEqualTo(inside);
    }

    @Test
    void anIpv4MappedPeerCountsAsItsIpv4Address() throws Exception {
        // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d; Java hands it over as IPv4.
        InetAddress mapped = InetAddress.getByName("::ffff:10.1.2.3");
        assertThat(TrustedProxies.of(List.of(CidrBlock.parse("10.0.0.0/8"))).trusts(mapped)).isTrue();
    }

    @Test
    void whatIsNotABlockIsRefusedWithoutAnyNameLookup() {
        assertThatThrownBy(() -> CidrBlock.parse("localhost")).hasMessageContaining("'localhost' is not an IP address block");
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/")).hasMessageContaining("prefix length after / must be 0 to 32");
        assertThatThrownBy(() -> CidrBlock.parse("2001:db8::/129")).hasMessageContaining("must be 0 to 128");
        assertThatThrownBy(() -> CidrBlock.parse("10.1.2.3/8"))
                .hasMessage("'10.1.2.3/8' has bits set past the prefix: write 10.0.0.0/8 for the block, "
                        + "or 10.1.2.3 alone for one address");
    }
}
