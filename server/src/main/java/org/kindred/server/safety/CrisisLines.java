package org.kindred.server.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.kindred.protocol.CrisisResource;
import org.kindred.server.config.LanguageTag;

/**
 * Which crisis lines a member is shown, chosen by language and region. Lines are keyed by BCP 47 language tag
 * ({@code fr-CA}, {@code fr}), and a member's language (a tag, or an RFC 4647 priority list such as
 * {@code "fr-CA, fr;q=0.8"}) picks them in this order:
 *
 * <ol>
 *   <li>RFC 4647 <i>lookup</i> ({@link Locale#lookup}): the tag itself, then shorter and shorter prefixes of it:
 *       {@code fr-CA}, then {@code fr} (the lines of every French-speaking country, each named);
 *   <li>any region of the same language ({@link Locale#filter} on the language alone), for data that has
 *       {@code fr-CA} but no {@code fr};
 *   <li>the configured default: the lines keyed {@value #DEFAULT_TAG};
 *   <li>the international fallback: emergency services and a directory of helplines in every country.
 * </ol>
 *
 * An unreadable language (not a tag, blank, absent) goes straight to step 3. The result is never empty.
 *
 * <p>{@link #defaults()} holds public lines for English, French, Spanish and German speakers, with their sources, in
 * {@code crisis-lines.txt} next to this class. Immutable and thread-safe.
 */
public final class CrisisLines {

    /** The key of the configured default lines: the RFC 4647 wildcard, "any language". */
    public static final String DEFAULT_TAG = LanguageTag.ANY;

    private static final String RESOURCE = "crisis-lines.txt";

    private final Map<String, List<CrisisResource>> byTag;
    private final List<Locale> locales;
    private final List<CrisisResource> fallback;

    private CrisisLines(Map<String, List<CrisisResource>> lines, List<CrisisResource> international) {
        Map<String, List<CrisisResource>> canonical = new TreeMap<>();
        lines.forEach((tag, resources) -> canonical
                .computeIfAbsent(
                        canonicalTag(tag).orElseThrow(() -> new IllegalArgumentException(problemWith(tag))),
                        k -> new ArrayList<>())
                .addAll(List.copyOf(resources)));
        List<CrisisResource> configuredDefault = canonical.remove(DEFAULT_TAG);
        this.fallback = List.copyOf(
                configuredDefault == null || configuredDefault.isEmpty() ? international : configuredDefault);
        if (fallback.isEmpty()) {
            throw new IllegalArgumentException("crisis lines: no default (" + DEFAULT_TAG + ") lines");
        }
        Map<String, List<CrisisResource>> frozen = new LinkedHashMap<>();
        canonical.forEach((tag, resources) -> frozen.put(tag, List.copyOf(resources)));
        this.byTag = frozen;
        this.locales = frozen.keySet().stream().map(Locale::forLanguageTag).toList();
    }

    /** The built-in lines (see the class comment). */
    public static CrisisLines defaults() {
        return new CrisisLines(BuiltIn.LINES, BuiltIn.LINES.get(DEFAULT_TAG));
    }

    /**
     * A deployment's own lines, keyed by BCP 47 tag or {@value #DEFAULT_TAG}; the built-in international lines are the
     * last resort when there is no {@value #DEFAULT_TAG}.
     *
     * @throws IllegalArgumentException if a key is neither a well-formed language tag nor {@value #DEFAULT_TAG}
     */
    public static CrisisLines of(Map<String, List<CrisisResource>> lines) {
        Objects.requireNonNull(lines, "lines");
        return new CrisisLines(lines, BuiltIn.LINES.get(DEFAULT_TAG));
    }

    /** A deployment's own lines ({@link #of}) when it configured any, the built-in ones ({@link #defaults}) otherwise. */
    public static CrisisLines configuredOrDefaults(Map<String, List<CrisisResource>> configured) {
        return configured.isEmpty() ? defaults() : of(configured);
    }

    /** The built-in lines by tag, {@value #DEFAULT_TAG} (international) included. */
    public static Map<String, List<CrisisResource>> defaultResources() {
        return BuiltIn.LINES;
    }

    /** The built-in lines, read once (a constant: the file ships with the server). */
    private static final class BuiltIn {
        static final Map<String, List<CrisisResource>> LINES = load();

        private BuiltIn() {}
    }

    private static Map<String, List<CrisisResource>> load() {
        try (InputStream in = CrisisLines.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCE + " next to " + CrisisLines.class);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** Reads lines of {@code tag | name | contact | description}; {@code #} starts a comment line. */
    static Map<String, List<CrisisResource>> read(InputStream in) throws IOException {
        Map<String, List<CrisisResource>> lines = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\|", -1);
            if (fields.length != 4) {
                throw new IllegalStateException(RESOURCE + " line " + number
                        + ": expected tag | name | contact | description, found " + fields.length + " fields");
            }
            lines.computeIfAbsent(fields[0].strip(), k -> new ArrayList<>())
                    .add(new CrisisResource(fields[1].strip(), fields[2].strip(), fields[3].strip()));
        }
        lines.replaceAll((tag, resources) -> List.copyOf(resources));
        return java.util.Collections.unmodifiableMap(lines);
    }

    /**
     * The lines for a member's language: a BCP 47 tag ({@code fr-CA}) or an RFC 4647 priority list
     * ({@code "fr-CA, en;q=0.5"}); {@code null} or unreadable gives the default lines. Never empty.
     */
    public List<CrisisResource> lookup(String language) {
        List<Locale.LanguageRange> ranges = ranges(language);
        if (ranges.isEmpty()) {
            return fallback;
        }
        Locale found = Locale.lookup(ranges, locales);
        if (found != null) {
            return byTag.get(found.toLanguageTag());
        }
        for (Locale.LanguageRange range : ranges) {
            String primary = range.getRange().split("-", 2)[0];
            if (primary.equals(DEFAULT_TAG)) {
                continue;
            }
            List<Locale> sameLanguage = Locale.filter(List.of(new Locale.LanguageRange(primary + "-*")), locales);
            if (!sameLanguage.isEmpty()) {
                Set<CrisisResource> merged = new LinkedHashSet<>();
                sameLanguage.forEach(locale -> merged.addAll(byTag.get(locale.toLanguageTag())));
                return List.copyOf(merged);
            }
        }
        return fallback;
    }

    /** The tags that have lines of their own, in order ({@value #DEFAULT_TAG} not included). */
    public List<String> tags() {
        return List.copyOf(byTag.keySet());
    }

    /**
     * Why a key cannot name crisis lines, or empty when it can: a well-formed BCP 47 tag with a language, or
     * {@value #DEFAULT_TAG}.
     */
    public static Optional<String> problemWithTag(String tag) {
        return LanguageTag.problemWith(tag);
    }

    private static String problemWith(String tag) {
        return LanguageTag.problemWith(tag).orElseThrow();
    }

    private static Optional<String> canonicalTag(String tag) {
        return LanguageTag.canonical(tag);
    }

    private static List<Locale.LanguageRange> ranges(String language) {
        if (language == null || language.isBlank()) {
            return List.of();
        }
        try {
            return Locale.LanguageRange.parse(language.strip().replace('_', '-'));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "CrisisLines" + byTag.keySet();
    }
}
