package org.kindred.server.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * A {@link CrisisDetector} driven by per-language word lists: phrases matched on whole words, regular expressions, and
 * near misses (idioms that look like a phrase and are not a crisis).
 *
 * <p><b>Normalisation.</b> The message is read once as a {@link NormalizedText} (lower case, no accents, look-alike
 * letters of other scripts, styled and fullwidth letters folded, punctuation as spaces, leetspeak digits inside words),
 * and every rule is normalised the same way when the detector is built, so operators may write "mettre fin à mes
 * jours" or "Self-Harm"; a rule with ä, ö or ü also matches its spelling with ae, oe, ue ("überdosis", "ueberdosis").
 * Phrases match whole words only: "kms" matches "ugh kms" but not "bookmarks". Patterns run on the normalised words
 * joined by single spaces, case-insensitively.
 *
 * <p><b>Evasions.</b> Two more readings are tried, only when the message calls for them:
 *
 * <ul>
 *   <li><b>Repeated letters.</b> A word with a letter written three or more times in a row ("kiiiill", "dieeee") is
 *       read as the word of the rules that it stretches, if any ("kill", "die"): both squeeze to the same letters.
 *   <li><b>Letters spelled apart.</b> Three or more one-character words in a row ("k.i.l.l", "k i l l m y s e l f")
 *       are joined into one word, which is matched like any word and also searched for every phrase written without
 *       its spaces ("killmyself").
 * </ul>
 *
 * <p><b>Near misses.</b> A near miss ({@code not:} in the rule files) cancels a phrase or pattern hit whose last word
 * it contains: "want to die" is no hit in "I want to die of embarrassment" when "die of embarrassment" is a near miss,
 * and "kms" none in "5 kms" with the near miss "# kms" ({@code #} stands for any number). A near miss never cancels a
 * longer phrase that goes on past it. Letters spelled apart are never excused.
 *
 * <p><b>Which hit.</b> Every language is checked, since a member may write French in an English room. A hit on a
 * phrase that belongs to one language only (or on a pattern) beats a hit on a phrase several languages share
 * ("suicide", "overdose"), because crisis resources are chosen by the hit's language; otherwise languages are taken in
 * the iteration order of the map given to the constructor ({@code en}, {@code fr}, {@code es}, {@code de} for
 * {@link #defaults()}). Within a language, the phrase listed first wins, then the pattern listed first.
 *
 * <p><b>Cost.</b> The normalisation, then one hash lookup per word of the message; the shipped lists have no
 * patterns, so an ordinary message costs nothing more. Near misses are read only once a phrase matched; the two
 * evasion readings only when a word repeats a letter three times or three one-letter words follow each other. Each
 * pattern may read at most a fixed multiple of the text's length ({@value #PATTERN_READS_PER_CHAR} reads per
 * character, plus {@value #PATTERN_READS_BASE}); a pattern that backtracks beyond that is abandoned for that message,
 * treated as no match and logged, so a badly written operator pattern cannot stall the chat. {@link #detect} never
 * throws.
 *
 * <p>Immutable and thread-safe.
 */
public final class PhraseCrisisDetector implements CrisisDetector {

    private static final Logger LOG = LoggerFactory.getLogger(PhraseCrisisDetector.class);

    static final int PATTERN_READS_PER_CHAR = 64;
    static final int PATTERN_READS_BASE = 100_000;

    /** The languages of {@link #defaults()}, each read from {@code crisis-<language>.txt} next to this class. */
    public static final List<String> DEFAULT_LANGUAGES = List.of("en", "fr", "es", "de");

    private static final String PATTERN_PREFIX = "re:";
    private static final String NEAR_MISS_PREFIX = "not:";
    /** In a near miss, a word that stands for any number. */
    private static final String ANY_NUMBER = "#";
    /** Letters spelled apart must make at least this many one-character words to be joined. */
    private static final int MIN_SPELLED_LETTERS = 3;
    /** A phrase written without spaces is searched inside spelled-out letters only from this length on. */
    private static final int MIN_COMPACT_LENGTH = 5;

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern NON_LETTERS = Pattern.compile("[^\\p{L}]+");

    /** A phrase: its words after normalisation, the rule as written, its rank in its language. */
    private record Phrase(int language, int rank, String[] words, String rule, boolean shared) {}

    private record Rule(String rule, Pattern pattern) {}

    /** A phrase written without its spaces, searched inside letters spelled apart. */
    private record Compact(String letters, Phrase phrase) {}

    private final String[] languages;
    /** Phrases of every language, by their first normalised word. */
    private final Map<String, Phrase[]> phrasesByFirstWord;

    private final Rule[][] patterns;
    /** Near misses of every language, by their first normalised word ({@value #ANY_NUMBER} for a number). */
    private final Map<String, String[][]> nearMissesByFirstWord;

    private final Compact[] compacts;
    /** Every word of the rules, by its letters squeezed ("kill" under "kil"): how a stretched word is read. */
    private final Map<String, String> vocabularyBySqueeze;

    private final int phraseCount;
    private final int patternCount;
    private final int nearMissCount;

    /**
     * Builds a detector from per-language phrases and patterns, without near misses.
     *
     * @see #PhraseCrisisDetector(Map, Map, Map)
     */
    public PhraseCrisisDetector(Map<String, List<String>> phrases, Map<String, List<String>> patterns) {
        this(phrases, patterns, Map.of());
    }

    /**
     * Builds a detector from per-language rules.
     *
     * @param phrases     language code → phrases, matched on whole words after normalisation; may be written with
     *                    accents, capitals and punctuation
     * @param patterns    language code → Java regular expressions, searched in the normalised text case-insensitively
     * @param nearMisses  language code → near misses: idioms that cancel a hit whose last word they contain; a word
     *                    {@code #} stands for any number
     * @throws IllegalArgumentException if a pattern does not compile, or a phrase or near miss has no letter or digit
     */
    public PhraseCrisisDetector(
            Map<String, List<String>> phrases,
            Map<String, List<String>> patterns,
            Map<String, List<String>> nearMisses) {
        Objects.requireNonNull(phrases, "phrases");
        Objects.requireNonNull(patterns, "patterns");
        Objects.requireNonNull(nearMisses, "nearMisses");
        LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        for (Map<String, List<String>> rules : List.of(phrases, patterns, nearMisses)) {
            rules.keySet()
                    .forEach(language -> index.putIfAbsent(Objects.requireNonNull(language, "language"), index.size()));
        }
        this.languages = index.keySet().toArray(String[]::new);
        Map<String, String> vocabulary = new HashMap<>();

        // Normalise the phrases; a phrase written twice in one language (e.g. "self harm", "self-harm") counts once.
        List<List<Phrase>> perLanguage = new ArrayList<>();
        Map<String, Set<Integer>> languagesOfPhrase = new HashMap<>();
        for (int language = 0; language < languages.length; language++) {
            List<Phrase> list = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String rule : phrases.getOrDefault(languages[language], List.of())) {
                Objects.requireNonNull(rule, "phrase");
                for (String spelling : spellings(rule)) {
                    List<String> words = NormalizedText.of(spelling).words();
                    if (words.isEmpty()) {
                        throw new IllegalArgumentException(
                                "Crisis phrase for " + languages[language] + " has no letter or digit: '" + rule + "'");
                    }
                    String key = String.join(" ", words);
                    if (seen.add(key)) {
                        list.add(new Phrase(language, list.size(), words.toArray(String[]::new), rule.strip(), false));
                        languagesOfPhrase
                                .computeIfAbsent(key, k -> new HashSet<>())
                                .add(language);
                        words.forEach(word -> vocabulary.putIfAbsent(squeeze(word), word));
                    }
                }
            }
            perLanguage.add(list);
        }
        Map<String, List<Phrase>> byFirstWord = new HashMap<>();
        List<Compact> compactList = new ArrayList<>();
        int phraseTotal = 0;
        for (List<Phrase> list : perLanguage) {
            for (Phrase phrase : list) {
                boolean shared =
                        languagesOfPhrase.get(String.join(" ", phrase.words())).size() > 1;
                Phrase indexed = new Phrase(phrase.language(), phrase.rank(), phrase.words(), phrase.rule(), shared);
                byFirstWord
                        .computeIfAbsent(phrase.words()[0], k -> new ArrayList<>())
                        .add(indexed);
                String letters = String.join("", phrase.words());
                if (letters.length() >= MIN_COMPACT_LENGTH) {
                    compactList.add(new Compact(letters, indexed));
                }
                phraseTotal++;
            }
        }
        Map<String, Phrase[]> frozen = new HashMap<>();
        byFirstWord.forEach((word, list) -> frozen.put(word, list.toArray(Phrase[]::new)));
        this.phrasesByFirstWord = Map.copyOf(frozen);
        this.compacts = compactList.toArray(Compact[]::new);
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
                // A stretched word is read as a word of a pattern too ("diiiie" as "die").
                for (String word : NON_LETTERS
                        .splitAsStream(source.toLowerCase(Locale.ROOT))
                        .toList()) {
                    if (word.length() > 1) {
                        vocabulary.putIfAbsent(squeeze(word), word);
                    }
                }
            }
            this.patterns[language] = compiled.toArray(Rule[]::new);
            patternTotal += compiled.size();
        }
        this.patternCount = patternTotal;

        Map<String, List<String[]>> nearMissIndex = new HashMap<>();
        int nearMissTotal = 0;
        for (int language = 0; language < languages.length; language++) {
            for (String rule : nearMisses.getOrDefault(languages[language], List.of())) {
                Objects.requireNonNull(rule, "near miss");
                for (String spelling : spellings(rule)) {
                    String[] words = nearMissWords(spelling);
                    if (words.length == 0) {
                        throw new IllegalArgumentException("Crisis near miss for " + languages[language]
                                + " has no letter, digit or #: '" + rule + "'");
                    }
                    nearMissIndex
                            .computeIfAbsent(words[0], k -> new ArrayList<>())
                            .add(words);
                    Arrays.stream(words)
                            .filter(word -> !word.equals(ANY_NUMBER))
                            .forEach(word -> vocabulary.putIfAbsent(squeeze(word), word));
                    nearMissTotal++;
                }
            }
        }
        Map<String, String[][]> nearMissFrozen = new HashMap<>();
        nearMissIndex.forEach((word, list) -> nearMissFrozen.put(word, list.toArray(String[][]::new)));
        this.nearMissesByFirstWord = Map.copyOf(nearMissFrozen);
        this.nearMissCount = nearMissTotal;
        this.vocabularyBySqueeze = Map.copyOf(vocabulary);
    }

    /** The rule, and its spelling with ae, oe, ue when it has ä, ö or ü (German writers without umlauts use both). */
    private static List<String> spellings(String rule) {
        String lower = rule.toLowerCase(Locale.ROOT);
        if (lower.indexOf('ä') < 0 && lower.indexOf('ö') < 0 && lower.indexOf('ü') < 0) {
            return List.of(rule);
        }
        return List.of(rule, lower.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"));
    }

    /** A near miss's words: each space-separated token normalised, {@code #} kept as "any number". */
    private static String[] nearMissWords(String rule) {
        List<String> words = new ArrayList<>();
        for (String token : SPACES.splitAsStream(rule.strip()).toList()) {
            if (token.equals(ANY_NUMBER)) {
                words.add(ANY_NUMBER);
            } else {
                words.addAll(NormalizedText.of(token).words());
            }
        }
        return words.toArray(String[]::new);
    }

    /**
     * The community-maintained default lists, {@code crisis-en.txt}, {@code crisis-fr.txt}, {@code crisis-es.txt} and
     * {@code crisis-de.txt} in this package's resources: one rule per line, {@code #} starts a comment line,
     * {@code re:} starts a pattern, {@code not:} a near miss, anything else is a phrase.
     */
    public static PhraseCrisisDetector defaults() {
        return defaultsWith(Map.of());
    }

    /**
     * The default lists, with the lists of some languages replaced (or languages added) by an operator's rules: for
     * each language, rules as in the files ({@code re:} starts a pattern, {@code not:} a near miss, anything else is a
     * phrase).
     */
    public static PhraseCrisisDetector defaultsWith(Map<String, List<String>> rules) {
        Map<String, List<String>> phrases = new LinkedHashMap<>();
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        Map<String, List<String>> nearMisses = new LinkedHashMap<>();
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
                        patterns.computeIfAbsent(language, k -> new ArrayList<>()),
                        nearMisses.computeIfAbsent(language, k -> new ArrayList<>()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        rules.forEach((language, list) -> {
            List<String> ownPhrases = new ArrayList<>();
            List<String> ownPatterns = new ArrayList<>();
            List<String> ownNearMisses = new ArrayList<>();
            list.forEach(rule -> sortRule(rule, ownPhrases, ownPatterns, ownNearMisses));
            phrases.put(language, ownPhrases);
            patterns.put(language, ownPatterns);
            nearMisses.put(language, ownNearMisses);
        });
        return new PhraseCrisisDetector(phrases, patterns, nearMisses);
    }

    /**
     * Reads a rule file (UTF-8): blank lines and lines starting with {@code #} are skipped, a line starting with
     * {@code re:} is a pattern, one starting with {@code not:} a near miss, any other line a phrase. Leading and
     * trailing white space is ignored.
     */
    public static void readRules(InputStream in, List<String> phrases, List<String> patterns, List<String> nearMisses)
            throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String rule = line.strip();
            if (rule.startsWith("\uFEFF")) {
                rule = rule.substring(1).strip();
            }
            if (!rule.startsWith("#")) {
                sortRule(rule, phrases, patterns, nearMisses);
            }
        }
    }

    private static void sortRule(String line, List<String> phrases, List<String> patterns, List<String> nearMisses) {
        String rule = line.strip();
        if (rule.startsWith(PATTERN_PREFIX)) {
            String pattern = rule.substring(PATTERN_PREFIX.length()).strip();
            if (!pattern.isEmpty()) {
                patterns.add(pattern);
            }
        } else if (rule.startsWith(NEAR_MISS_PREFIX)) {
            String nearMiss = rule.substring(NEAR_MISS_PREFIX.length()).strip();
            if (!nearMiss.isEmpty()) {
                nearMisses.add(nearMiss);
            }
        } else if (!rule.isEmpty()) {
            phrases.add(rule);
        }
    }

    /** The languages this detector checks, in order. */
    public List<String> languages() {
        return List.of(languages);
    }

    /** How many distinct phrases (after normalisation and spellings, summed over languages) this detector checks. */
    public int phraseCount() {
        return phraseCount;
    }

    /** How many patterns (summed over languages) this detector checks. */
    public int patternCount() {
        return patternCount;
    }

    /** How many near misses (after spellings, summed over languages) this detector knows. */
    public int nearMissCount() {
        return nearMissCount;
    }

    @Override
    public Optional<CrisisHit> detect(String text) {
        return detect(NormalizedText.of(text));
    }

    @Override
    public Optional<CrisisHit> detect(NormalizedText text) {
        try {
            return find(text);
        } catch (RuntimeException e) {
            // Detection must never get in the way of a message.
            LOG.warn(
                    "Crisis detection failed on a message of {} characters",
                    text.raw().length(),
                    e);
            return Optional.empty();
        }
    }

    private Optional<CrisisHit> find(NormalizedText text) {
        List<String> words = text.words();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        Reading reading = new Reading(destretched(words));
        scanPhrases(reading, reading.words, true);
        String[] spelled = joinSpelledLetters(reading.words, reading.spelledRuns);
        if (spelled != null) {
            scanPhrases(reading, spelled, false);
            scanCompacts(reading);
        }
        CrisisHit fallback = null;
        for (int language = 0; language < languages.length; language++) {
            if (reading.specific[language] != null) {
                return Optional.of(new CrisisHit(languages[language], reading.specific[language].rule()));
            }
            Rule pattern = patterns[language].length == 0 ? null : firstMatchingPattern(language, reading, spelled);
            if (pattern != null) {
                return Optional.of(new CrisisHit(languages[language], pattern.rule()));
            }
            if (fallback == null && reading.shared[language] != null) {
                fallback = new CrisisHit(languages[language], reading.shared[language].rule());
            }
        }
        return Optional.ofNullable(fallback);
    }

    /** What one message matched so far, and the words of it that near misses cover (worked out on first need). */
    private final class Reading {
        final String[] words;
        final Phrase[] specific = new Phrase[languages.length];
        final Phrase[] shared = new Phrase[languages.length];
        final List<String> spelledRuns = new ArrayList<>();
        private boolean[] excused;

        Reading(String[] words) {
            this.words = words;
        }

        void offer(Phrase phrase) {
            Phrase[] best = phrase.shared() ? shared : specific;
            Phrase current = best[phrase.language()];
            if (current == null || phrase.rank() < current.rank()) {
                best[phrase.language()] = phrase;
            }
        }

        /** Whether a near miss covers this word of {@link #words}. */
        boolean excused(int word) {
            if (nearMissesByFirstWord.isEmpty()) {
                return false;
            }
            if (excused == null) {
                excused = nearMissCoverage(words);
            }
            return excused[word];
        }
    }

    private void scanPhrases(Reading reading, String[] words, boolean nearMissesApply) {
        for (int at = 0; at < words.length; at++) {
            Phrase[] candidates = phrasesByFirstWord.get(words[at]);
            if (candidates == null) {
                continue;
            }
            for (Phrase phrase : candidates) {
                Phrase current = (phrase.shared() ? reading.shared : reading.specific)[phrase.language()];
                if ((current == null || phrase.rank() < current.rank())
                        && matchesAt(phrase.words(), words, at)
                        && !(nearMissesApply && reading.excused(at + phrase.words().length - 1))) {
                    reading.offer(phrase);
                }
            }
        }
    }

    /** Letters spelled apart: a phrase written without its spaces anywhere inside them. */
    private void scanCompacts(Reading reading) {
        for (String run : reading.spelledRuns) {
            for (Compact compact : compacts) {
                if (run.length() >= compact.letters().length() && run.contains(compact.letters())) {
                    reading.offer(compact.phrase());
                }
            }
        }
    }

    private static boolean matchesAt(String[] phrase, String[] words, int at) {
        if (at + phrase.length > words.length) {
            return false;
        }
        for (int k = 1; k < phrase.length; k++) {
            if (!phrase[k].equals(words[at + k])) {
                return false;
            }
        }
        return true;
    }

    /** Which words of the message some near miss covers. */
    private boolean[] nearMissCoverage(String[] words) {
        boolean[] covered = new boolean[words.length];
        for (int at = 0; at < words.length; at++) {
            coverAt(nearMissesByFirstWord.get(words[at]), words, at, covered);
            if (isNumber(words[at])) {
                coverAt(nearMissesByFirstWord.get(ANY_NUMBER), words, at, covered);
            }
        }
        return covered;
    }

    private static void coverAt(String[][] nearMisses, String[] words, int at, boolean[] covered) {
        if (nearMisses == null) {
            return;
        }
        for (String[] nearMiss : nearMisses) {
            if (at + nearMiss.length <= words.length && nearMissMatchesAt(nearMiss, words, at)) {
                Arrays.fill(covered, at, at + nearMiss.length, true);
            }
        }
    }

    private static boolean nearMissMatchesAt(String[] nearMiss, String[] words, int at) {
        for (int k = 0; k < nearMiss.length; k++) {
            String word = words[at + k];
            if (nearMiss[k].equals(ANY_NUMBER) ? !isNumber(word) : !nearMiss[k].equals(word)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) < '0' || word.charAt(i) > '9') {
                return false;
            }
        }
        return !word.isEmpty();
    }

    /** The words, each stretched one ("kiiiill") read as the word of the rules it stretches ("kill"), if any. */
    private String[] destretched(List<String> words) {
        String[] result = words.toArray(String[]::new);
        for (int i = 0; i < result.length; i++) {
            result[i] = destretched(result[i]);
        }
        return result;
    }

    private String destretched(String word) {
        if (!hasTripleLetter(word)) {
            return word;
        }
        return vocabularyBySqueeze.getOrDefault(squeeze(word), word);
    }

    private static boolean hasTripleLetter(String word) {
        for (int i = 2; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == word.charAt(i - 1) && c == word.charAt(i - 2) && Character.isLetter(c)) {
                return true;
            }
        }
        return false;
    }

    /** The word with every run of one letter written once: "kill" is "kil", "kiiiill" too. */
    static String squeeze(String word) {
        StringBuilder out = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (i == 0 || c != word.charAt(i - 1)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The words with every run of {@value #MIN_SPELLED_LETTERS} or more one-character words joined into one
     * ("k i l l" is "kill"), each run also added to {@code runs}; {@code null} when there is no such run.
     */
    private String[] joinSpelledLetters(String[] words, List<String> runs) {
        List<String> joined = null;
        for (int i = 0; i < words.length; ) {
            int end = i;
            while (end < words.length && words[end].length() == 1) {
                end++;
            }
            if (end - i >= MIN_SPELLED_LETTERS) {
                if (joined == null) {
                    joined = new ArrayList<>(Arrays.asList(words).subList(0, i));
                }
                StringBuilder run = new StringBuilder(end - i);
                boolean hasLetter = false;
                for (int k = i; k < end; k++) {
                    run.append(words[k]);
                    hasLetter |= Character.isLetter(words[k].charAt(0));
                }
                String word = destretched(TextNormalizer.endWord(run, hasLetter));
                runs.add(word);
                joined.add(word);
                i = end;
            } else {
                int next = Math.max(end, i + 1);
                if (joined != null) {
                    joined.addAll(Arrays.asList(words).subList(i, next));
                }
                i = next;
            }
        }
        return joined == null ? null : joined.toArray(String[]::new);
    }

    private Rule firstMatchingPattern(int language, Reading reading, String[] spelled) {
        Rule rule = firstMatchingPattern(language, reading.words, reading);
        return rule != null || spelled == null ? rule : firstMatchingPattern(language, spelled, null);
    }

    /** The first pattern of a language found in the words (joined by spaces) whose match no near miss excuses. */
    private Rule firstMatchingPattern(int language, String[] words, Reading excusing) {
        String text = String.join(" ", words);
        for (Rule rule : patterns[language]) {
            BudgetedText budgeted =
                    new BudgetedText(text, (long) PATTERN_READS_PER_CHAR * text.length() + PATTERN_READS_BASE);
            Matcher matcher = rule.pattern().matcher(budgeted);
            try {
                while (matcher.find()) {
                    if (excusing == null
                            || !excusing.excused(wordAt(words, Math.max(matcher.start(), matcher.end() - 1)))) {
                        return rule;
                    }
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

    /** Which word of {@code words} (joined by single spaces) holds this character of the joined text. */
    private static int wordAt(String[] words, int offset) {
        int end = -1;
        for (int i = 0; i < words.length; i++) {
            end += words[i].length() + 1;
            if (offset < end) {
                return i;
            }
        }
        return Math.max(0, words.length - 1);
    }

    @Override
    public String toString() {
        return "PhraseCrisisDetector" + List.of(languages) + "[" + phraseCount + " phrases, " + patternCount
                + " patterns, " + nearMissCount + " near misses]";
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
