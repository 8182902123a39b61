package org.kindred.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.Main;
import org.kindred.server.auth.JwtTokenVerifier;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import picocli.CommandLine;

/** {@code check-config} and {@code gen-token}, run through the server's command line as an operator would. */
class OperatorCommandsTest {

    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";

    private record Outcome(int code, String out, String err) {}

    @TempDir
    Path dir;

    private static Outcome run(Map<String, String> env, String... args) {
        CommandLine cl = Main.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void checkConfigAcceptsAGoodFileAndSummarisesIt() throws Exception {
        Path file = write("good.yaml", "port: 9000\nlogFormat: json\nallowedOrigins: [https://app.example.org]\n");
        Outcome o = run(
                Map.of("KINDRED_JWT_SECRET", SECRET, "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE", "true"),
                "check-config",
                file.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out())
                .startsWith("configuration OK: " + file)
                .contains("listens on   0.0.0.0:9000")
                .contains("sign-in      JWT HS256")
                .contains("log format   json")
                .doesNotContain(SECRET);
        assertThat(o.err()).isEmpty();
    }

    @Test
    void checkConfigRefusesABadFileInOneLine() throws Exception {
        Path file = write("bad.yaml", "port: 70000\n");
        Outcome o = run(Map.of(), "check-config", file.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().lines().toList())
                .containsExactly("kindred: invalid configuration: port: 70000 (expected: 0-65535); set in " + file);
        assertThat(o.out()).isEmpty();
    }

    @Test
    void checkConfigReadsTheFileNamedByTheEnvironmentAndSaysWhenSignInIsForDevelopment() throws Exception {
        Path file = write("env.yaml", "port: 9001\n");
        Outcome o = run(Map.of(ConfigLoader.CONFIG_FILE_VARIABLE, file.toString()), "check-config");
        assertThat(o.code()).isZero();
        assertThat(o.out())
                .contains("127.0.0.1:9001 (loopback: development sign-in)")
                .contains("management   127.0.0.1:8089")
                .contains("DEVELOPMENT SIGN-IN");
    }

    @Test
    void genTokenSignsWithTheConfiguredSecretATokenTheNodeAccepts() throws Exception {
        Path file = write("jwt.yaml", "jwt:\n  issuer: https://id.example.org\n  audience: kindred\n");
        Map<String, String> env = Map.of("KINDRED_JWT_SECRET", SECRET, "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE", "true");
        Outcome o = run(
                env,
                "gen-token",
                "--config",
                file.toString(),
                "--sub",
                "u-42",
                "--pseudonym",
                "Robin",
                "--role",
                "mentor,member",
                "--ttl",
                "15m");
        assertThat(o.code()).as(o.err()).isZero();
        String token = o.out().strip();
        assertThat(token.lines()).hasSize(1);
        Identity identity = new JwtTokenVerifier(ConfigLoader.load(file, env).jwt(), Clock.systemUTC()).verify(token);
        assertThat(identity.userId()).isEqualTo("u-42");
        assertThat(identity.pseudonym()).isEqualTo("Robin");
        assertThat(identity.roles()).containsExactlyInAnyOrder(Role.MENTOR, Role.MEMBER);
    }

    @Test
    void genTokenSignsWithAPrivateKeyAndChecksItAgainstTheConfiguredPublicKey() throws Exception {
        KeyPair issuer = rsa();
        Path publicKey = pem("public.pem", "PUBLIC KEY", issuer.getPublic().getEncoded());
        Path privateKey = pem("private.pem", "PRIVATE KEY", issuer.getPrivate().getEncoded());
        Map<String, String> env = Map.of(
                "KINDRED_JWT_PUBLIC_KEY_FILE", publicKey.toString(), "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE", "true");

        Outcome ok = run(
                env,
                "gen-token",
                "--private-key",
                privateKey.toString(),
                "--sub",
                "m1",
                "--pseudonym",
                "Sam",
                "--role",
                "moderator");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(new JwtTokenVerifier(ConfigLoader.load(null, env).jwt(), Clock.systemUTC())
                        .verify(ok.out().strip())
                        .roles())
                .containsExactly(Role.MODERATOR);

        Path otherKey = pem("other.pem", "PRIVATE KEY", rsa().getPrivate().getEncoded());
        Outcome wrongPair =
                run(env, "gen-token", "--private-key", otherKey.toString(), "--sub", "m1", "--pseudonym", "Sam");
        assertThat(wrongPair.code()).isEqualTo(2);
        assertThat(wrongPair.err())
                .startsWith("kindred gen-token: a node with this configuration would refuse the " + "token: ");
        assertThat(wrongPair.out()).isEmpty();
    }

    @Test
    void genTokenRefusesWhatANodeWouldNotAccept() throws Exception {
        Map<String, String> env = Map.of("KINDRED_JWT_SECRET", SECRET, "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE", "true");
        assertThat(run(Map.of(), "gen-token", "--sub", "u", "--pseudonym", "P").err())
                .isEqualTo("kindred gen-token: no JWT key is configured (development sign-in): set jwt.hs256Secret or "
                        + "KINDRED_JWT_SECRET, or give --private-key\n");
        assertThat(run(env, "gen-token", "--sub", "u", "--pseudonym", "P", "--role", "admin")
                        .err())
                .contains("--role admin: unknown (expected: one of [member, mentor, facilitator, moderator])");
        assertThat(run(env, "gen-token", "--sub", "u", "--pseudonym", "P", "--ttl", "90d")
                        .err())
                .contains("--ttl 90d: expected more than 0 and at most 30 days");
        assertThat(run(env, "gen-token", "--sub", "u", "--pseudonym", "P", "--ttl", "60")
                        .err())
                .contains("--ttl '60' has no unit");
        Path pkcs1 = write("pkcs1.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThat(run(Map.of(), "gen-token", "--sub", "u", "--pseudonym", "P", "--private-key", pkcs1.toString())
                        .err())
                .contains("holds a PKCS#1 RSA PRIVATE KEY (expected: PRIVATE KEY; convert with: openssl pkcs8");
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private Path pem(String name, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return write(name, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
