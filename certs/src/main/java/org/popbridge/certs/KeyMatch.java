package org.popbridge.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/** Decides whether a private key belongs to a certificate's public key. */
final class KeyMatch {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMatch() {
    }

    /** True if {@code key} is the private half of {@code certKey}. */
    static boolean matches(PrivateKey key, PublicKey certKey) {
        if (key instanceof RSAPrivateKey rsa) {
            return certKey instanceof RSAPublicKey pub && sameRsaKey(rsa, pub);
        }
        if (key instanceof ECPrivateKey ec) {
            return certKey instanceof ECPublicKey pub && sameEcKey(ec, pub);
        }
        return signsFor(key, certKey);
    }

    private static boolean sameRsaKey(RSAPrivateKey key, RSAPublicKey pub) {
        if (!key.getModulus().equals(pub.getModulus())) {
            return false;
        }
        // A non-CRT key does not carry the public exponent; the modulus alone identifies the pair.
        return !(key instanceof RSAPrivateCrtKey crt) || crt.getPublicExponent().equals(pub.getPublicExponent());
    }

    /** Computes the public point d·G from the private scalar and compares it with the certificate's point. */
    private static boolean sameEcKey(ECPrivateKey key, ECPublicKey pub) {
        ECParameterSpec params = key.getParams();
        EllipticCurve curve = params.getCurve();
        if (!curve.equals(pub.getParams().getCurve())
                || !params.getGenerator().equals(pub.getParams().getGenerator())
                || !(curve.getField() instanceof ECFieldFp field)) {
            return false;
        }
        ECCurve bcCurve = new ECCurve.Fp(field.getP(), curve.getA(), curve.getB(),
                params.getOrder(), BigInteger.valueOf(params.getCofactor()));
        ECPoint q = bcCurve.createPoint(params.getGenerator().getAffineX(), params.getGenerator().getAffineY())
                .multiply(key.getS())
                .normalize();
        return q.getAffineXCoord().toBigInteger().equals(pub.getW().getAffineX())
                && q.getAffineYCoord().toBigInteger().equals(pub.getW().getAffineY());
    }

    /** For other key types (EdDSA, say) a signature over random bytes proves the pair. */
    private static boolean signsFor(PrivateKey key, PublicKey certKey) {
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(key.getAlgorithm());
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(key.getAlgorithm());
            verifier.initVerify(certKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
