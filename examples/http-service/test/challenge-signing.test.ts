import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { RESULT_TOKEN_TYPE, ResultSigner, SigningKeyError } from '../src/challenge/signing.js';

const claims = { cid: 'c1', passed: true, steps: [{ action: 'blink', outcome: 'done' }], reasons: [] };

describe('examples/http-service result signing', () => {
  it('takes an Ed25519 PEM (line breaks written \\n, as in an environment variable) and an EC P-256 JWK', async () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const ec = JSON.stringify(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
    );
    for (const [key, alg] of [
      [ed.replaceAll('\n', '\\n'), 'EdDSA'],
      [ec, 'ES256'],
    ]) {
      const signer = await ResultSigner.create(key, 'issuer');
      expect(signer.ephemeral).toBe(false);
      const token = await signer.sign(claims, {
        jti: 'j1',
        subject: 'person',
        audience: 'unkeyed',
        ttlSeconds: 60,
      });
      expect(decodeProtectedHeader(token)).toMatchObject({
        alg,
        typ: RESULT_TOKEN_TYPE,
        kid: signer.publicJwk.kid,
      });
      // The published key alone verifies it; it holds no private part.
      expect(signer.jwks.keys[0].d).toBeUndefined();
      const { payload } = await jwtVerify(token, createLocalJWKSet(signer.jwks), { issuer: 'issuer' });
      expect(payload).toMatchObject({ ...claims, jti: 'j1', sub: 'person' });
      expect(await signer.verify(token)).toMatchObject({ cid: 'c1' });
    }
  });

  it('refuses other keys without quoting them, and signs with a key of its own when given none', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    await expect(ResultSigner.create(rsa, 'i')).rejects.toThrow(SigningKeyError);
    await expect(ResultSigner.create('not a key', 'i')).rejects.toThrow(
      'the signing key is neither a PKCS#8 PEM private key nor a private JWK',
    );
    const ephemeral = await ResultSigner.create(undefined, 'i');
    expect(ephemeral).toMatchObject({ ephemeral: true, alg: 'ES256' });
    // Another process's key does not verify its tokens.
    const other = await ResultSigner.create(undefined, 'i');
    const token = await ephemeral.sign(claims, { jti: 'j', audience: 'unkeyed', ttlSeconds: 60 });
    await expect(other.verify(token)).rejects.toThrow();
  });
});
