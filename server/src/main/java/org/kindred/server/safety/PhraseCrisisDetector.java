package org.kindred.server.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CrisisDetector} driven by per-language word lists: phrases matched on whole words, and regular expressions.
 *
 * <p><b>Normalisation.</b> The message is normalised once by {@link CrisisTextNormalizer} (lower case, no accents,
 * fancy and fullwidth letters folded, punctuation as spaces, collapsed spaces, leetspeak digits inside words), and
 * every phrase is normalised the same way when the detector is built, so operators may write "mettre fin à mes jours"
 * or "Self-Harm". Phrases match whole words only: "kms" matches "ugh kms" but not "bookmarks". Patterns run on the
 * normalised text (lower case, no accents, no punctuation, single spaces), case-insensitively.
 *
 * <p><b>Which hit.</b> Every language is checked, since a member may write French in an English room. A hit on a
 * phrase that belongs to one language only (or on a pattern) beats a hit on a phrase several languages share
 * ("suicide", "overdose"), because crisis resources are chosen by the hit's language; otherwise languages are taken in
 * the iteration order of the map given to the constructor ({@code en} then {@code fr} for {@link #defaults()}). Within
 * a language, the phrase listed first wins, then the pattern listed first.
 *
 * <p><b>Cost.</b> One normalisation pass, then one hash lookup per word of the message, then the patterns. Each pattern
 * may read at most a fixed multiple of the text's length ({@value #PATTERN_READS_PER_CHAR} reads per character, plus
 * {@value #PATTERN_READS_BASE}); a pattern that backtracks beyond that is abandoned for that message, treated as no
 * match and logged, so a badly written operator pattern cannot stall the chat. {@link #detect} never throws.
 *
 * <p>Immutable and thread-safe.
 */
public final class PhraseCrisisDetector implements CrisisDetector {

    private static final Logger LOG = LoggerFactory.getLogger(PhraseCrisisDetector.class);

    static final int PATTERN_READS_PER_CHAR = 64;
    static final int PATTERN_READS_BASE = 100_000;

    /** The languages of {@link #defaults()}, each read from {@code crisis-<language>.txt} next to this class. */
    public static final List<String> DEFAULT_LANGUAGES = List.of("en", "fr");

    private static final String PATTERN_PREFIX = "re:";

    /** A phrase: its words after normalisation, the rule as written, its rank in its language. */
    private record Phrase(int language, int rank, String[] words, String rule, boolean shared) {}

    private record Rule(String rule, Pattern pattern) {}

    private final String[] languages;
    /** Phrases of every language, by their first normalised word. */
    private final Map<String, Phrase[]> phrasesByFirstWord;

    private final Rule[][] patterns;
    private final int phraseCount;
    private final int patternCount;

    /**
     * Builds a detector from per-language rules.
     *
     * @param phrases  language code → phrases, matched on whole words after normalisation; may be written with accents,
     *                 capitals and punctuation
     * @param patterns language code → Java regular expressions, searched in the normalised text case-insensitively
     * @throws IllegalArgumentException if a pattern does not compile or a phrase has no letter or digit
     */
    public PhraseCrisisDetector(Map<String, List<String>> phrases, Map<String, List<String>> patterns) {
        Objects.requireNonNull(phrases, "phrases");
        Objects.requireNonNull(patterns, "patterns");
        LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        phrases.keySet()
                .forEach(language -> index.putIfAbsent(Objects.requireNonNull(language, "language"), index.size()));
        patterns.keySet()
                .forEach(language -> index.putIfAbsent(Objects.requireNonNull(language, "language"), index.size()));
        this.languages = index.keySet().toArray(String[]::new);

        // Normalise the phrases; a phrase written twice in one language (e.g. "self harm", "self-harm") counts once.
        List<List<Phrase>> perLanguage = new ArrayList<>();
        Map<String, Set<Integer>> languagesOfPhrase = new HashMap<>();
        for (int language = 0; language < languages.length; language++) {
            List<Phrase> list = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String rule : phrases.getOrDefault(languages[language], List.of())) {
                Objects.requireNonNull(rule, "phrase");
                List<String> words = CrisisTextNormalizer.normalize(rule).words();
                if (words.isEmpty()) {
                    throw new IllegalArgumentException(
                            "Crisis phrase for " + languages[language] + " has no letter or digit: '" + rule + "'");
                }
                String key = String.join(" ", words);
                if (seen.add(key)) {
                    list.add(new Phrase(language, list.size(), words.toArray(String[]::new), rule.strip(), false));
                    languagesOfPhrase.computeIfAbsent(key, k -> new HashSet<>()).add(language);
                }
            }
            perLanguage.add(list);
        }
        Map<String, List<Phrase>> byFirstWord = new HashMap<>();
        int phraseTotal = 0;
        for (List<Phrase> list : perLanguage) {
            for (Phrase phrase : list) {
                boolean shared =
                        languagesOfPhrase.get(String.join(" ", phrase.words())).size() > 1;
                byFirstWord
                        .computeIfAbsent(phrase.words()[0], k -> new ArrayList<>())
                        .add(new Phrase(phrase.language(), phrase.rank(), phrase.words(), phrase.rule(), shared));
                phraseTotal++;
            }
        }
        Map<String, Phrase[]> frozen = new HashMap<>();
        byFirstWord.forEach((word, list) -> frozen.put(word, list.toArray(Phrase[]::new)));
        this.phrasesByFirstWord = Map.copyOf(frozen);
        this.phraseCount = phraseTotal;

        this.patterns = new Rule[languages.length][];
        int patternTotal = 0;
        for (int language = 0; language < languages.length; language++) {
            List<Rule> compiled = new ArrayList<>();
            for (String rule : patterns.getOrDefault(languages[language], List.of())) {
                Objects.requireNonNull(rule, "pattern");
                String source = rule.strip();
                try {
                    compiled.add(
                            new Rule(source, Pattern.compile(source, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            "Crisis pattern for " + languages[language] + " does not compile: " + e.getMessage(), e);
                }
            }
            this.patterns[language] = compiled.toArray(Rule[]::new);
            patternTotal += compiled.size();
        }
        this.patternCount = patternTotal;
    }

    /**
     * The community-maintained default lists, {@code crisis-en.txt} and {@code crisis-fr.txt} in this package's
     * resources: one rule per line, {@code #} starts a comment line, {@code re:} starts a pattern, anything else is a
     * phrase.
     */
    public static PhraseCrisisDetector defaults() {
        return defaultsWith(Map.of());
    }

    /**
     * The default lists, with the lists of some languages replaced (or languages added) by an operator's rules: for
     * each language, rules as in the files ({@code re:} starts a pattern, anything else is a phrase).
     */
    public static PhraseCrisisDetector defaultsWith(Map<String, List<String>> rules) {
        Map<String, List<String>> phrases = new LinkedHashMap<>();
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        for (String language : DEFAULT_LANGUAGES) {
            String resource = "crisis-" + language + ".txt";
            try (InputStream in = PhraseCrisisDetector.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "Missing resource " + resource + " next to " + PhraseCrisisDetector.class.getName());
                }
                readRules(
                        in,
                        phrases.computeIfAbsent(language, k -> new ArrayList<>()),
                        patterns.computeIfAbsent(language, k -> new ArrayList<>()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        rules.forEach((language, list) -> {
            List<String> ownPhrases = new ArrayList<>();
            List<String> ownPatterns = new ArrayList<>();
            for (String rule : list) {
                if (rule.startsWith("re:")) {
                    ownPatterns.add(rule.substring(3).strip());
                } else if (!rule.isBlank()) {
                    ownPhrases.add(rule.strip());
                }
            }
            phrases.put(language, ownPhrases);
            patterns.put(language, ownPatterns);
        });
        return new PhraseCrisisDetector(phrases, patterns);
    }

    /**
     * Reads a rule file (UTF-8) into {@code phrases} and {@code patterns}: blank lines and lines starting with
     * {@code #} are skipped, a line starting with {@code re:} is a pattern, any other line a phrase. Leading and
     * trailing white space is ignored.
     */
    public static void readRules(InputStream in, List<String> phrases, List<String> patterns) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String rule = line.strip();
            if (rule.startsWith("\uFEFF")) {
                rule = rule.substring(1).strip();
            }
            if (rule.isEmpty() || rule.startsWith("#")) {
                continue;
            }
            if (rule.startsWith(PATTERN_PREFIX)) {
                String pattern = rule.substring(PATTERN_PREFIX.length()).strip();
                if (!pattern.isEmpty()) {
                    patterns.add(pattern);
                }
            } else {
                phrases.add(rule);
            }
        }
    }

    /** The languages this detector checks, in order. */
    public List<String> languages() {
        return List.of(languages);
    }

    /** How many distinct phrases (after normalisation, summed over languages) this detector checks. */
    public int phraseCount() {
        return phraseCount;
    }

    /** How many patterns (summed over languages) this detector checks. */
    public int patternCount() {
        return patternCount;
    }

    @Override
    public Optional<CrisisHit> detect(String text) {
        try {
            return find(text);
        } catch (RuntimeException e) {
            // Detection must never get in the way of a message.
            LOG.warn("Crisis detection failed on a message of {} characters", text == null ? 0 : text.length(), e);
            return Optional.empty();
        }
    }

    private Optional<CrisisHit> find(String text) {
        CrisisTextNormalizer.Normalized normalized = CrisisTextNormalizer.normalize(text);
        if (normalized.words().isEmpty()) {
            return Optional.empty();
        }
        // Best (lowest-ranked) phrase per language, language-specific and shared apart.
        Phrase[] specific = new Phrase[languages.length];
        Phrase[] shared = new Phrase[languages.length];
        List<String> words = normalized.words();
        for (int at = 0; at < words.size(); at++) {
            Phrase[] candidates = phrasesByFirstWord.get(words.get(at));
            if (candidates == null) {
                continue;
            }
            for (Phrase phrase : candidates) {
                Phrase[] best = phrase.shared() ? shared : specific;
                Phrase current = best[phrase.language()];
                if ((current == null || phrase.rank() < current.rank()) && matchesAt(phrase.words(), words, at)) {
                    best[phrase.language()] = phrase;
                }
            }
        }
        CrisisHit fallback = null;
        for (int language = 0; language < languages.length; language++) {
            if (specific[language] != null) {
                return Optional.of(new CrisisHit(languages[language], specific[language].rule()));
            }
            Rule pattern = firstMatchingPattern(language, normalized.text());
            if (pattern != null) {
                return Optional.of(new CrisisHit(languages[language], pattern.rule()));
            }
            if (fallback == null && shared[language] != null) {
                fallback = new CrisisHit(languages[language], shared[language].rule());
            }
        }
        return Optional.ofNullable(fallback);
    }

    private static boolean matchesAt(String[] phrase, List<String> words, int at) {
        if (at + phrase.length > words.size()) {
            return false;
        }
        for (int k = 1; k < phrase.length; k++) {
            if (!phrase[k].equals(words.get(at + k))) {
                return false;
            }
        }
        return true;
    }

    private Rule firstMatchingPattern(int language, String text) {
        for (Rule rule : patterns[language]) {
            BudgetedText budgeted =
                    new BudgetedText(text, (long) PATTERN_READS_PER_CHAR * text.length() + PATTERN_READS_BASE);
            Matcher matcher = rule.pattern().matcher(budgeted);
            try {
                if (matcher.find()) {
                    return rule;
                }
            } catch (BudgetExceeded | StackOverflowError e) {
                // Heavy backtracking, or a deep recursion such as (a|b)* on a long text: give up on this pattern only.
                LOG.warn(
                        "Crisis pattern for {} abandoned on a message of {} characters ({}; rewrite it without"
                                + " nested or alternated repetitions): {}",
                        languages[language],
                        text.length(),
                        e instanceof BudgetExceeded ? "over " + budgeted.budget + " reads" : "stack overflow",
                        rule.rule());
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "PhraseCrisisDetector" + List.of(languages) + "[" + phraseCount + " phrases, " + patternCount
                + " patterns]";
    }

    /** Thrown (without a stack trace) when a pattern reads the text more often than its budget allows. */
    private static final class BudgetExceeded extends RuntimeException {
        private static final BudgetExceeded INSTANCE = new BudgetExceeded();

        private BudgetExceeded() {
            super("pattern budget exceeded", null, false, false);
        }
    }

    /** The text, counting reads so that a backtracking pattern gives up instead of running for minutes. */
    private static final class BudgetedText implements CharSequence {
        private final String text;
        private final long budget;
        private long remaining;

        BudgetedText(String text, long budget) {
            this.text = text;
            this.budget = budget;
            this.remaining = budget;
        }

        @Override
        public char charAt(int index) {
            if (--remaining < 0) {
                throw BudgetExceeded.INSTANCE;
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
