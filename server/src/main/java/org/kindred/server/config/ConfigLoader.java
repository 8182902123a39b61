package org.kindred.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kindred.protocol.CrisisResource;

/**
 * Builds the configuration from three layers, each overriding the one before: the embedded default
 * ({@link KindredConfig#defaults()}), a YAML file, then {@code KINDRED_*} environment variables.
 *
 * <pre>{@code
 * KindredConfig config = ConfigLoader.load(null, System.getenv()); // file named by KINDRED_CONFIG, if any
 * }</pre>
 *
 * The file uses the accessor names as keys ({@code port: 9000}, {@code idleTimeout: 90s}); {@code tls} and {@code jwt}
 * are nested mappings; {@code rooms} is a list that replaces the demo rooms. Relative paths in the file are resolved
 * against the file's directory, relative paths in the environment against the working directory. Anything unknown or
 * malformed fails with a message that names the setting and where it came from: a typo must not silently fall back to
 * a default.
 */
public final class ConfigLoader {

    /** The environment variable naming the configuration file when no path is given. */
    public static final String CONFIG_FILE_VARIABLE = "KINDRED_CONFIG";

    private static final String ENV_PREFIX = "KINDRED_";
    private static final Set<String> GROUPS = Set.of(
            "tls",
            "jwt",
            "redis",
            "storage",
            "support",
            "groups",
            "presence",
            "web",
            "safety",
            "management",
            "webhooks");
    private static final Set<String> ROOM_KEYS =
            Set.of("id", "title", "description", "tags", "writers", "rules", "presence", "audience");
    private static final Set<String> RESOURCE_KEYS = Set.of("language", "name", "contact", "description");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            // Two "port:" lines in one file are a mistake, not "the last one wins".
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {}

    /**
     * Loads the configuration.
     *
     * @param fileOrNull the YAML file; when {@code null}, the file named by {@code KINDRED_CONFIG} in {@code env}, if set
     * @param env        the environment, usually {@code System.getenv()}
     * @throws ConfigException naming the first unknown, malformed or inconsistent setting and its source
     */
    public static KindredConfig load(Path fileOrNull, Map<String, String> env) {
        Draft draft = new Draft(KindredConfig.defaults());
        Path file = fileOrNull != null ? fileOrNull : configFileFromEnvironment(env);
        if (file != null) {
            readFile(file, draft);
        }
        readEnvironment(env, draft);
        KindredConfig config;
        try {
            config = draft.build();
        } catch (ConfigException e) {
            String source = e.setting() == null ? null : draft.sourceOf(e.setting());
            if (source == null) {
                throw e;
            }
            throw new ConfigException(e.setting(), e.getMessage() + "; " + source, e.getCause());
        }
        checkFilesReadable(config, draft);
        checkIssuerAndAudience(config, draft);
        return config;
    }

    private static Path configFileFromEnvironment(Map<String, String> env) {
        String value = env.get(CONFIG_FILE_VARIABLE);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new ConfigException(
                    CONFIG_FILE_VARIABLE + ": is empty (expected: a file path; unset it to use none)");
        }
        return Path.of(value.trim());
    }

    // ---- file ---------------------------------------------------------------------------------------------------

    private static void readFile(Path file, Draft draft) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist or is not a file");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration file " + file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: nothing to override
        }
        String source = "set in " + file;
        if (!root.isObject()) {
            throw new ConfigException(
                    "configuration file " + file + ": expected a mapping of settings at the top level");
        }
        draft.baseDirectory = file.toAbsolutePath().getParent();
        try {
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (key.equals("rooms")) {
                    draft.builder.rooms(readRooms(value, file));
                    draft.recordSource("rooms", source);
                } else if (key.equals("crisisRules")) {
                    draft.builder.crisisRules(readCrisisRules(value, file));
                    draft.recordSource("crisisRules", source);
                } else if (key.equals("crisisResources")) {
                    draft.crisisResources = readCrisisResources(value, file);
                    draft.recordSource("crisisResources", source);
                } else if (GROUPS.contains(key) && value.isObject()) {
                    for (Map.Entry<String, JsonNode> nested : value.properties()) {
                        applyFromFile(key + "." + nested.getKey(), nested.getValue(), file, draft);
                    }
                } else {
                    applyFromFile(key, value, file, draft);
                }
            }
        } finally {
            draft.baseDirectory = null;
        }
    }

    private static void applyFromFile(String key, JsonNode value, Path file, Draft draft) {
        Setting setting = Setting.byKey(key)
                .orElseThrow(() -> new ConfigException("unknown setting '" + key + "' in " + file
                        + Suggestions.didYouMean(
                                key, Setting.ALL.stream().map(Setting::key).toList())));
        List<String> values = setting.list() ? textList(key, value, file) : List.of(scalar(key, value, file));
        try {
            setting.apply().accept(draft, values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage() + " (in " + file + ")");
        }
        draft.recordSource(key, "set in " + file);
    }

    /** {@code crisisRules: {en: [phrase, "re:pattern", ...], fr: [...]}}. */
    private static Map<String, List<String>> readCrisisRules(JsonNode node, Path file) {
        if (!node.isObject()) {
            throw new ConfigException(
                    "crisisRules: expected a mapping of language to a list of rules (in " + file + ")");
        }
        Map<String, List<String>> rules = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> language : node.properties()) {
            rules.put(language.getKey(), textList("crisisRules." + language.getKey(), language.getValue(), file));
        }
        return rules;
    }

    /** {@code crisisResources: [{language: en, name: ..., contact: ..., description: ...}]}, grouped by language. */
    private static Map<String, List<CrisisResource>> readCrisisResources(JsonNode node, Path file) {
        if (!node.isArray()) {
            throw new ConfigException("crisisResources: expected a list of resources (in " + file + ")");
        }
        Map<String, List<CrisisResource>> byLanguage = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "crisisResources[" + i + "]";
            JsonNode resource = node.get(i);
            if (!resource.isObject()) {
                throw new ConfigException(
                        where + ": expected a mapping with language, name, contact, description (in " + file + ")");
            }
            for (Map.Entry<String, JsonNode> property : resource.properties()) {
                if (!RESOURCE_KEYS.contains(property.getKey())) {
                    throw new ConfigException("unknown setting '" + where + "." + property.getKey() + "' in " + file
                            + Suggestions.didYouMean(property.getKey(), RESOURCE_KEYS));
                }
            }
            String language = optionalScalar(where + ".language", resource.get("language"), file);
            String name = optionalScalar(where + ".name", resource.get("name"), file);
            String contact = optionalScalar(where + ".contact", resource.get("contact"), file);
            if (language == null || name == null || contact == null) {
                throw new ConfigException(where + ": language, name and contact are required (in " + file + ")");
            }
            java.util.Optional<String> badTag = LanguageTag.problemWith(language);
            if (badTag.isPresent()) {
                throw new ConfigException(where + ".language: " + badTag.get() + " (in " + file + ")");
            }
            byLanguage
                    .computeIfAbsent(language, l -> new ArrayList<>())
                    .add(new CrisisResource(
                            name, contact, optionalScalar(where + ".description", resource.get("description"), file)));
        }
        return byLanguage;
    }

    private static List<RoomConfig> readRooms(JsonNode node, Path file) {
        if (!node.isArray()) {
            throw new ConfigException("rooms: expected a list of rooms (in " + file + ")");
        }
        List<RoomConfig> rooms = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "rooms[" + i + "]";
            JsonNode room = node.get(i);
            if (!room.isObject()) {
                throw new ConfigException(
                        where + ": expected a mapping with id, title, description, tags, writers (in " + file + ")");
            }
            for (Map.Entry<String, JsonNode> property : room.properties()) {
                String name = property.getKey();
                if (!ROOM_KEYS.contains(name)) {
                    throw new ConfigException("unknown setting '" + where + "." + name + "' in " + file
                            + Suggestions.didYouMean(name, ROOM_KEYS));
                }
            }
            try {
                RoomConfig config = RoomConfig.withRuleNames(
                                optionalScalar(where + ".id", room.get("id"), file),
                                optionalScalar(where + ".title", room.get("title"), file),
                                optionalScalar(where + ".description", room.get("description"), file),
                                room.has("tags") ? textList(where + ".tags", room.get("tags"), file) : null,
                                room.has("writers")
                                        ? new LinkedHashSet<>(textList(where + ".writers", room.get("writers"), file))
                                        : null,
                                room.has("rules")
                                        ? new LinkedHashSet<>(textList(where + ".rules", room.get("rules"), file))
                                        : null)
                        .withAudience(RoomAudience.fromJson("audience", room.get("audience")));
                rooms.add(
                        room.has("presence")
                                ? config.withPresence(optionalScalar(where + ".presence", room.get("presence"), file))
                                : config);
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage() + " (in " + file + ")");
            }
        }
        return rooms;
    }

    private static String optionalScalar(String key, JsonNode node, Path file) {
        return node == null ? null : scalar(key, node, file);
    }

    private static String scalar(String key, JsonNode node, Path file) {
        if (node.isNull()) {
            throw new ConfigException(key + ": has no value (in " + file + ")");
        }
        if (!node.isValueNode()) {
            throw new ConfigException(key + ": expected a single value, found "
                    + (node.isArray() ? "a list" : "a mapping") + " (in " + file + ")");
        }
        return node.asText();
    }

    /** A YAML sequence of values, or one text with comma-separated values (as in the environment). */
    private static List<String> textList(String key, JsonNode node, Path file) {
        if (!node.isArray()) {
            return Setting.splitList(scalar(key, node, file));
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(scalar(key + "[" + i + "]", node.get(i), file).trim());
        }
        return values;
    }

    // ---- environment --------------------------------------------------------------------------------------------

    private static void readEnvironment(Map<String, String> env, Draft draft) {
        // Sorted so that, with several problems, the same one is reported first every time.
        for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(ENV_PREFIX) || name.equals(CONFIG_FILE_VARIABLE)) {
                continue;
            }
            Setting setting = Setting.byEnvVar(name)
                    .orElseThrow(() -> new ConfigException("unknown environment variable " + name
                            + Suggestions.didYouMean(
                                    name,
                                    Setting.ALL.stream().map(Setting::envVar).toList())));
            String value = entry.getValue();
            if (value == null || value.isEmpty()) {
                // An empty KINDRED_JWT_SECRET must not quietly turn into "no key", which means development sign-in.
                throw new ConfigException(
                        name + ": is empty (expected: a value; unset the variable to keep the " + "default)");
            }
            List<String> values = setting.list() ? Setting.splitList(value) : List.of(value);
            try {
                setting.apply().accept(draft, values);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + ": " + e.getMessage());
            }
            draft.recordSource(setting.key(), "set by " + name);
        }
    }

    /**
     * A node that verifies real tokens must know whose tokens, for whom: without {@code iss} and {@code aud} any token
     * the key ever signed (for another service of the same provider, say) would sign a member in. Refused unless the
     * operator says, with {@code jwt.anyIssuerAndAudience: true}, that it means it.
     */
    private static void checkIssuerAndAudience(KindredConfig config, Draft draft) {
        JwtConfig jwt = config.jwt();
        if (!jwt.hasKey() || draft.jwtAnyIssuerAndAudience) {
            return;
        }
        String missing = jwt.issuer() == null ? "jwt.issuer" : jwt.audience() == null ? "jwt.audience" : null;
        if (missing != null) {
            throw new ConfigException(
                    missing,
                    missing + ": not set (expected: the " + (missing.equals("jwt.issuer") ? "iss" : "aud")
                            + " your identity service writes in Kindred's tokens; set jwt.anyIssuerAndAudience: true"
                            + " (KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE) to accept tokens of any issuer and audience)",
                    null);
        }
    }

    // ---- files named by settings --------------------------------------------------------------------------------

    /** Fails at start-up, not at the first TLS handshake or the first sign-in, when a named file cannot be read. */
    private static void checkFilesReadable(KindredConfig config, Draft draft) {
        config.tls().ifPresent(tls -> {
            checkReadable("tls.certificateFile", tls.certificateFile(), draft);
            checkReadable("tls.privateKeyFile", tls.privateKeyFile(), draft);
        });
        if (config.jwt().rs256PublicKeyFile() != null) {
            checkReadable("jwt.rs256PublicKeyFile", config.jwt().rs256PublicKeyFile(), draft);
        }
    }

    private static void checkReadable(String key, Path path, Draft draft) {
        String problem = !Files.exists(path)
                ? "does not exist"
                : !Files.isRegularFile(path) ? "is not a file" : !Files.isReadable(path) ? "is not readable" : null;
        if (problem != null) {
            String source = draft.sourceOf(key);
            throw new ConfigException(
                    key, key + ": " + path + " " + problem + (source == null ? "" : "; " + source), null);
        }
    }
}
