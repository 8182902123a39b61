package org.kindred.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * EdDSA (Ed25519) tokens checked with the JDK's own Ed25519 (in every JDK since 15). nimbus verifies Ed25519 only with
 * Google Tink on the class path, and its key selector cannot turn an Ed25519 JWK ({@code kty: OKP}) into a Java key;
 * these three small parts close both gaps without a second crypto library: a key selector that also hands out Ed25519
 * keys, a verifier factory that builds a JDK verifier for them and nimbus' own verifiers for everything else, and the
 * verifier itself.
 */
final class Ed25519Verification {

    /** The EdDSA algorithm names a token may carry: RFC 8037's {@code EdDSA} and RFC 9864's {@code Ed25519}. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    /** What an X.509 SubjectPublicKeyInfo of an Ed25519 key holds before the 32 key bytes (RFC 8410). */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Verification() {}

    /** An Ed25519 JWK's public key as a JDK key. */
    static PublicKey publicKey(OctetKeyPair jwk) throws GeneralSecurityException {
        byte[] x = jwk.getX().decode();
        if (!Curve.Ed25519.equals(jwk.getCurve()) || x.length != 32) {
            throw new GeneralSecurityException("not an Ed25519 public key");
        }
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + x.length);
        System.arraycopy(x, 0, encoded, X509_PREFIX.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    }

    /** A JDK Ed25519 public key as a JWK. */
    static OctetKeyPair jwk(EdECPublicKey key) {
        byte[] encoded = key.getEncoded();
        byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build();
    }

    /** Selects a source's keys for a token's header: nimbus' selection, and Ed25519 keys for EdDSA tokens. */
    static final class KeySelector extends JWSVerificationKeySelector<SecurityContext> {

        KeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
            super(algorithms, source);
        }

        @Override
        public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
            if (!ALGORITHMS.contains(header.getAlgorithm())) {
                return super.selectJWSKeys(header, context);
            }
            if (!isAllowed(header.getAlgorithm())) {
                return List.of();
            }
            JWKMatcher matcher = new JWKMatcher.Builder()
                    .keyType(KeyType.OKP)
                    .curve(Curve.Ed25519)
                    .keyID(header.getKeyID())
                    .keyUses(KeyUse.SIGNATURE, null)
                    .algorithms(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, null)
                    .build();
            List<Key> keys = new ArrayList<>();
            for (JWK jwk : getJWKSource().get(new JWKSelector(matcher), context)) {
                try {
                    keys.add(publicKey(jwk.toOctetKeyPair()));
                } catch (GeneralSecurityException e) {
                    // A damaged key in the set: the others may still verify the token.
                }
            }
            return keys;
        }
    }

    /** Verifiers for a header and key: the JDK's Ed25519 for EdDSA, nimbus' own for the rest. */
    static final class VerifierFactory implements JWSVerifierFactory {

        private final DefaultJWSVerifierFactory others = new DefaultJWSVerifierFactory();
        private final JCAContext context = new JCAContext();

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            if (ALGORITHMS.contains(header.getAlgorithm())) {
                if (!(key instanceof EdECPublicKey edKey)) {
                    throw new JOSEException("an EdDSA token needs an Ed25519 public key");
                }
                return new Verifier(edKey, context);
            }
            return others.createJWSVerifier(header, key);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            Set<JWSAlgorithm> all = new HashSet<>(others.supportedJWSAlgorithms());
            all.addAll(ALGORITHMS);
            return all;
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }

    /** Checks an Ed25519 signature with the JDK. */
    private record Verifier(EdECPublicKey key, JCAContext context) implements JWSVerifier {

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            try {
                Signature check = Signature.getInstance("Ed25519");
                check.initVerify(key);
                check.update(signingInput);
                return check.verify(signature.decode());
            } catch (java.security.SignatureException e) {
                return false; // a signature of the wrong length or form
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 verification failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGORITHMS;
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
