import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/** The JOSE header `typ` of result tokens: a token of another kind signed by the same key is not taken for one. */
export const RESULT_TOKEN_TYPE = 'liveness-result+jwt';

/** What a result token says beyond the registered claims (`iss`, `sub`, `aud`, `jti`, `iat`, `exp`). */
export interface ResultClaims {
  /** The challenge the result is for. */
  cid: string;
  passed: boolean;
  /** The steps asked, each with its outcome. */
  steps: { action: string; outcome: string }[];
  /** Codes of why it failed (empty when passed). */
  reasons: string[];
}

export type ResultPayload = JWTPayload & ResultClaims & { jti: string; exp: number };

/** A refused key: the message says what is wrong, never the key. */
export class SigningKeyError extends Error {}

function algorithmOf(key: KeyObject): 'ES256' | 'EdDSA' {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new SigningKeyError('the signing key must be an EC P-256 (ES256) or Ed25519 (EdDSA) private key');
}

/** A private key from PKCS#8 PEM or a private JWK (JSON). */
function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) return createPrivateKey({ key: JSON.parse(trimmed), format: 'jwk' });
    // Environment variables often carry PEM with its line breaks written as \n.
    return createPrivateKey(trimmed.replaceAll('\\n', '\n'));
  } catch {
    throw new SigningKeyError('the signing key is neither a PKCS#8 PEM private key nor a private JWK');
  }
}

/**
 * Signs challenge results as JWS compact tokens (JWT) with one asymmetric key, and verifies
 * them; apps verify offline with the public half, published as a JWKS.
 */
export class ResultSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly alg: 'ES256' | 'EdDSA',
    readonly publicJwk: JWK,
    readonly issuer: string,
    private readonly keys: ReturnType<typeof createLocalJWKSet>,
  ) {}

  /** From a configured private key (PEM or JWK); none: a new key for this process only (`ephemeral`). */
  static async create(
    keyText: string | undefined,
    issuer: string,
  ): Promise<ResultSigner & { ephemeral: boolean }> {
    const privateKey = keyText
      ? parsePrivateKey(keyText)
      : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const alg = algorithmOf(privateKey);
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
    const publicJwk: JWK = { ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
    const signer = new ResultSigner(
      privateKey,
      alg,
      publicJwk,
      issuer,
      createLocalJWKSet({ keys: [publicJwk] }),
    );
    return Object.assign(signer, { ephemeral: !keyText });
  }

  /** The JWKS document of `GET /.well-known/jwks.json`. */
  get jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async sign(
    claims: ResultClaims,
    options: { jti: string; subject?: string; audience: string; ttlSeconds: number },
  ): Promise<string> {
    const jwt = new SignJWT({ ...claims })
      .setProtectedHeader({ alg: this.alg, kid: this.publicJwk.kid, typ: RESULT_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(options.audience)
      .setJti(options.jti)
      .setIssuedAt()
      .setExpirationTime(`${options.ttlSeconds}s`);
    if (options.subject) jwt.setSubject(options.subject);
    return jwt.sign(this.privateKey);
  }

  /** The payload of a valid token (signature, type, issuer, expiry); rejects with jose's error otherwise. */
  async verify(token: string): Promise<ResultPayload> {
    const { payload } = await jwtVerify(token, this.keys, {
      issuer: this.issuer,
      typ: RESULT_TOKEN_TYPE,
      algorithms: [this.alg],
      requiredClaims: ['jti', 'exp', 'iat', 'aud', 'cid'],
    });
    return payload as ResultPayload;
  }
}
