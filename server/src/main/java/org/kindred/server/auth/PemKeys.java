package org.kindred.server.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindred.server.config.ConfigException;

/**
 * Reads an RSA or Ed25519 public key from a PEM file with the JDK alone (nimbus' PEM parser needs BouncyCastle, which we
 * do not ship). Accepts a {@code PUBLIC KEY} block (what {@code openssl rsa -pubout} or {@code openssl pkey -pubout}
 * writes) or a {@code CERTIFICATE}.
 */
final class PemKeys {

    private static final String SETTING = "jwt.rs256PublicKeyFile";
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemKeys() {}

    /** The key of the file: an {@link RSAPublicKey} (RS256) or an {@link EdECPublicKey} (EdDSA, Ed25519). */
    static PublicKey readPublicKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(SETTING + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new ConfigException(
                    SETTING + ": " + file + " holds no PEM block (expected: -----BEGIN PUBLIC KEY-----)");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SETTING + ": " + file + " has a damaged " + type + " block: " + e.getMessage());
        }
        PublicKey key;
        try {
            key = switch (type) {
                case "PUBLIC KEY" -> publicKey(der);
                case "CERTIFICATE" ->
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der))
                            .getPublicKey();
                case "RSA PUBLIC KEY" ->
                    throw new ConfigException(SETTING + ": " + file + " holds a PKCS#1 RSA PUBLIC"
                            + " KEY (expected: PUBLIC KEY; convert with: openssl rsa -RSAPublicKey_in -pubout)");
                default ->
                    throw new ConfigException(
                            SETTING + ": " + file + " holds a " + type + " (expected: PUBLIC KEY or CERTIFICATE)");
            };
        } catch (GeneralSecurityException e) {
            throw new ConfigException(
                    SETTING + ": " + file + " does not hold an RSA or Ed25519 public key: " + e.getMessage(), e);
        }
        if (!(key instanceof RSAPublicKey) && !(key instanceof EdECPublicKey)) {
            throw new ConfigException(SETTING + ": " + file + " holds a " + key.getAlgorithm()
                    + " key (expected: RSA, for RS256, or Ed25519, for EdDSA)");
        }
        return key;
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
    }
}
