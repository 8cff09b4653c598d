package io.infergate.gateway.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as they appear in URLs and configuration, read without any lookup.
 *
 * <pre>{@code
 * IpLiterals.parse("10.0.0.5");              // 10.0.0.5
 * IpLiterals.parse("[fd00:ec2::254]");       // fd00:ec2::254
 * IpLiterals.parse("gpu-3.internal");        // empty: a name
 * IpLiterals.legacyIpv4("0xa9fea9fe");       // 169.254.169.254: what inet_aton-style resolvers read
 * IpLiterals.embeddedIpv4(ipv6)              // the IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d
 * }</pre>
 */
public final class IpLiterals {

    private static final Pattern DOTTED_DECIMAL =
            Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
    /** One part of an inet_aton address: decimal, octal (leading 0) or hex (0x). */
    private static final Pattern LEGACY_PART = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private IpLiterals() {
    }

    /**
     * The address {@code host} spells as dotted-decimal IPv4 ({@code a.b.c.d}, no leading zeros) or as IPv6
     * (brackets and a {@code %zone} allowed); empty for anything else, names included.
     */
    public static Optional<InetAddress> parse(String host) {
        String text = unbracketed(host);
        if (DOTTED_DECIMAL.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) part;
            }
            return Optional.of(byAddress(bytes));
        }
        if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
            try {
                // a bracketed literal is parsed, never looked up; an IPv4-mapped one comes back as IPv4
                return Optional.of(InetAddress.getByName("[" + text + "]"));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address a resolver built on {@code inet_aton} reads in {@code host} when it is not
     * dotted decimal: one to four parts, each decimal, octal ({@code 0251}) or hex ({@code 0xa9}), as in
     * {@code 2852039166}, {@code 0xa9fea9fe}, {@code 0251.0376.0251.0376} or {@code 169.254.43518}.
     * Empty for dotted decimal and for anything that is not such a number.
     */
    public static Optional<InetAddress> legacyIpv4(String host) {
        String text = unbracketed(host);
        if (DOTTED_DECIMAL.matcher(text).matches() || text.isEmpty() || text.endsWith(".")) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!LEGACY_PART.matcher(parts[i]).matches()) {
                return Optional.empty();
            }
            try {
                values[i] = legacyPart(parts[i]);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        // a.b.c.d; a.b.c16; a.b24; a32: every part but the last is a byte, the last fills the rest
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address = address << 8 | values[i];
        }
        int lastBits = 8 * (5 - values.length);
        long last = values[values.length - 1];
        if (last >= 1L << lastBits) {
            return Optional.empty();
        }
        address = address << lastBits | last;
        return Optional.of(byAddress(new byte[]{
                (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address}));
    }

    /**
     * The IPv4 address carried inside an IPv6 one: IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible
     * ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d}); empty for other addresses.
     */
    public static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        boolean zeros = true;
        for (int i = 0; i < 10; i++) {
            zeros &= bytes[i] == 0;
        }
        boolean mapped = zeros && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
        boolean compatible = zeros && bytes[10] == 0 && bytes[11] == 0
                && (bytes[12] != 0 || bytes[13] != 0 || bytes[14] != 0 || (bytes[15] & 0xfe) != 0); // not :: nor ::1
        boolean nat64 = Arrays.equals(bytes, 0, 12, NAT64_PREFIX, 0, 12);
        if (!mapped && !compatible && !nat64) {
            return Optional.empty();
        }
        return Optional.of(byAddress(Arrays.copyOfRange(bytes, 12, 16)));
    }

    /** {@code address} as people write it: IPv6 with its first run of zero groups shortened to {@code ::}. */
    public static String format(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        text = zone < 0 ? text : text.substring(0, zone);
        return address instanceof Inet6Address ? text.replaceFirst("(^|:)(0(:|$)){2,}", "::") : text;
    }

    /** {@code host} lower-cased, without IPv6 brackets, a {@code %zone} or a trailing dot. */
    public static String unbracketed(String host) {
        String text = host.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        return text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
    }

    private static long legacyPart(String part) {
        if (part.startsWith("0x") || part.startsWith("0X")) {
            return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
        }
        if (part.length() > 1 && part.startsWith("0")) {
            return Long.parseLong(part.substring(1), 8);
        }
        return Long.parseLong(part);
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
