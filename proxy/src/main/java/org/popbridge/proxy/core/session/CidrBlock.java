package org.popbridge.proxy.core.session;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IP addresses written in CIDR notation (RFC 4632 section 3.1 for IPv4, RFC 4291
 * section 2.3 for IPv6): {@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is the block
 * of that one address.
 *
 * @param network the block's first address: every bit past the prefix is zero
 * @param prefixLength how many leading bits an address must share with {@code network}
 */
public record CidrBlock(InetAddress network, int prefixLength) {

    public CidrBlock {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not between 0 and " + bits);
        }
    }

    /**
     * Reads {@code 192.168.1.0/24}, {@code 2001:db8::/32} or a bare address. Never looks a name
     * up: a host name is refused, as the block must not change with DNS.
     *
     * @throws IllegalArgumentException naming what is wrong, in the operator's words
     */
    public static CidrBlock parse(String written) {
        String text = written == null ? "" : written.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] octets = NetUtil.createByteArrayFromIpAddressString(address);
        if (octets == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address block such as 10.0.0.0/8 "
                    + "or 2001:db8::/32");
        }
        int bits = octets.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length after / must be 0 to " + bits);
            }
            prefix = Integer.parseInt(length);
        }
        byte[] masked = mask(octets, prefix);
        if (!Arrays.equals(masked, octets)) {
            // 10.1.2.3/8 is most likely a typo for the host or for the network: say which was meant.
            throw new IllegalArgumentException("'" + text + "' has bits set past the prefix: write "
                    + address(masked).getHostAddress() + "/" + prefix + " for the block, or " + address
                    + " alone for one address");
        }
        return new CidrBlock(address(octets), prefix);
    }

    /** Whether {@code address} lies in this block; an IPv4 address is never in an IPv6 block, nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] octets = address.getAddress();
        return octets.length == network.getAddress().length
                && Arrays.equals(mask(octets, prefixLength), network.getAddress());
    }

    private static byte[] mask(byte[] octets, int prefix) {
        byte[] masked = octets.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static InetAddress address(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
