package org.kindred.protocol;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.javadoc.Javadoc;
import com.github.javaparser.javadoc.JavadocBlockTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Javadoc of the protocol's records, read from their sources, so that the JSON Schema describes each message and
 * field in the words the code uses. Inline tags become Markdown: {@code {@code x}} and {@code {@link A#b}} read
 * {@code `x`} and {@code `b`}.
 */
final class RecordDocs {

    private static final Pattern CODE = Pattern.compile("\\{@code ([^}]*)}");
    private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)? ([^}\\s]+)(?:\\s+([^}]*))?}");

    /** Record description by canonical class name. */
    private final Map<String, String> types = new HashMap<>();
    /** Component description by canonical class name, then component name. */
    private final Map<String, Map<String, String>> components = new HashMap<>();

    private RecordDocs() {}

    /** Reads every record declared under the directory. */
    static RecordDocs read(Path sources) {
        JavaParser parser =
                new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
        RecordDocs docs = new RecordDocs();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                ParseResult<CompilationUnit> parsed = parser.parse(file);
                CompilationUnit unit = parsed.getResult()
                        .orElseThrow(() -> new IllegalStateException(file + ": " + parsed.getProblems()));
                unit.findAll(RecordDeclaration.class).forEach(docs::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private void add(RecordDeclaration record) {
        String name = record.getFullyQualifiedName().orElseThrow();
        record.getJavadoc().ifPresent(doc -> {
            types.put(name, markdown(doc.getDescription().toText()));
            Map<String, String> params = new HashMap<>();
            paramTags(doc)
                    .forEach(tag -> params.put(
                            tag.getName().orElseThrow(),
                            markdown(tag.getContent().toText())));
            components.put(name, params);
        });
    }

    private static List<JavadocBlockTag> paramTags(Javadoc doc) {
        return doc.getBlockTags().stream()
                .filter(tag -> tag.getType() == JavadocBlockTag.Type.PARAM)
                .toList();
    }

    /** What the record's Javadoc says of it. */
    Optional<String> type(Class<?> type) {
        return Optional.ofNullable(types.get(type.getCanonicalName())).filter(s -> !s.isEmpty());
    }

    /** What the record's Javadoc says of one of its components ({@code @param}). */
    Optional<String> component(Class<?> type, String component) {
        return Optional.ofNullable(components
                        .getOrDefault(type.getCanonicalName(), Map.of())
                        .get(component))
                .filter(s -> !s.isEmpty());
    }

    static String markdown(String javadoc) {
        String text = CODE.matcher(javadoc).replaceAll(m -> Matcher.quoteReplacement("`" + m.group(1) + "`"));
        text = LINK.matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(
                        m.group(2) != null ? m.group(2) : "`" + m.group(1).replaceFirst(".*[#.]", "") + "`"));
        return text.replaceAll("\\s+", " ").trim();
    }
}
