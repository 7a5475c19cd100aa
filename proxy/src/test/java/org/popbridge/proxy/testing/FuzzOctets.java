package org.popbridge.proxy.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for the decoder fuzz tests. Octet strings are ISO-8859-1 {@code String}s, as
 * in {@link CodecInput}. Random octets rarely form a line end, a "." at a line start or a long
 * line, which is where decoders break, so the generators lean towards those.
 */
public final class FuzzOctets {

    /** Positions are drawn as fractions of this, so they fit a string of any length and shrink to 0. */
    private static final int SCALE = 1_000_000;

    private FuzzOctets() {
    }

    /** One octet: mostly the ones that frame lines (CR, LF, ".", space, NUL), then printable, 8-bit, any. */
    public static Arbitrary<Character> octet() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of('\r', '\n', '.', ' ', '\0')),
                Tuple.of(3, Arbitraries.chars().range(' ', '~')),
                Tuple.of(1, Arbitraries.chars().range('\u0080', '\u00ff')),
                Tuple.of(1, Arbitraries.chars().range('\u0000', '\u00ff')));
    }

    /** An octet from a small alphabet, so that what the octets spell ("\r\n.\r\n", "{5}", "250-") comes up. */
    public static Arbitrary<Character> octetOf(String alphabet) {
        return Arbitraries.of(alphabet.chars().mapToObj(c -> (char) c).toList());
    }

    /** Up to {@code pieces} single octets or, now and then, a run of one octet long enough to pass a line limit. */
    public static Arbitrary<String> octets(Arbitrary<Character> octet, int pieces) {
        Arbitrary<String> run = Combinators.combine(octet, Arbitraries.integers().between(16, 5000))
                .as((c, count) -> String.valueOf(c).repeat(count));
        return Arbitraries.frequencyOf(Tuple.of(40, octet.map(String::valueOf)), Tuple.of(1, run))
                .list().ofMaxSize(pieces)
                .map(parts -> String.join("", parts));
    }

    public static Arbitrary<String> octets(int pieces) {
        return octets(octet(), pieces);
    }

    /**
     * Up to {@code pieces} octets, words of the protocol ("DATA\r\n", "{5}\r\n", "250-") and
     * long runs, mixed: random octets that now and then say something the decoder acts on.
     */
    public static Arbitrary<String> octetsWith(int pieces, String... words) {
        Arbitrary<String> run = Combinators.combine(octet(), Arbitraries.integers().between(16, 5000))
                .as((c, count) -> String.valueOf(c).repeat(count));
        return Arbitraries.frequencyOf(
                        Tuple.of(30, octet().map(String::valueOf)),
                        Tuple.of(10, Arbitraries.of(words)),
                        Tuple.of(1, run))
                .list().ofMaxSize(pieces)
                .map(parts -> String.join("", parts));
    }

    /** An edit of a string: {@code at} is a fraction of its length, {@code length} how many octets. */
    public record Mutation(Kind kind, int at, int length, String octets) {

        public enum Kind { FLIP_BIT, INSERT, DELETE, DUPLICATE, TRUNCATE }

        String applyTo(String s) {
            int position = position(at, s.length());
            int end = Math.min(s.length(), position + length);
            return switch (kind) {
                case FLIP_BIT -> position == s.length() ? s
                        : s.substring(0, position) + (char) (s.charAt(position) ^ (1 << (length % 8))) + s.substring(position + 1);
                case INSERT -> s.substring(0, position) + octets + s.substring(position);
                case DELETE -> s.substring(0, position) + s.substring(end);
                case DUPLICATE -> s.substring(0, end) + s.substring(position, end) + s.substring(end);
                case TRUNCATE -> s.substring(0, position);
            };
        }
    }

    /** Up to {@code max} edits: bits flipped, octets inserted, deleted or repeated, the end cut off. */
    public static Arbitrary<List<Mutation>> mutations(int max) {
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.of(Mutation.Kind.class),
                        Arbitraries.integers().between(0, SCALE),
                        Arbitraries.integers().between(1, 64),
                        octets(8))
                .as(Mutation::new);
        return mutation.list().ofMaxSize(max);
    }

    public static String mutate(String s, List<Mutation> mutations) {
        String mutated = s;
        for (Mutation mutation : mutations) {
            mutated = mutation.applyTo(mutated);
        }
        return mutated;
    }

    /** Where to cut a stream into the reads a connection delivers: up to {@code max} fractions of its length. */
    public static Arbitrary<List<Integer>> cuts(int max) {
        return Arbitraries.integers().between(0, SCALE).list().ofMaxSize(max);
    }

    /** {@code s} cut at the given fractions of its length; where cuts coincide a piece is empty, which decoders must take too. */
    public static List<String> cut(String s, List<Integer> cuts) {
        int[] points = cuts.stream().mapToInt(at -> position(at, s.length())).sorted().toArray();
        return CodecInput.cut(s, points);
    }

    private static int position(int at, int length) {
        return (int) ((long) at * (length + 1) / (SCALE + 1));
    }
}
