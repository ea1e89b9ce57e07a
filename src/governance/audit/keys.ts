import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArxError } from '../../core/errors.js';

/**
 * Ed25519 keys for signed audit checkpoints. The private key lives in `ARX_HOME/keys/audit-ed25519.pem`
 * (created, mode 0600, on first use) or wherever `governance.audit.signing_key_path` points — processes
 * sharing one PostgreSQL store should share one key through that path.
 */
export const DEFAULT_KEY_FILE = join('keys', 'audit-ed25519.pem');

export interface CheckpointSigner {
  /** Short fingerprint of the public key, stored with each checkpoint. */
  readonly keyId: string;
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
}

export function signerFromPrivateKey(privateKey: KeyObject): CheckpointSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ArxError(
      'audit_key_invalid',
      `the audit signing key must be Ed25519, got ${privateKey.asymmetricKeyType}`,
      {
        fault: 'caller',
      },
    );
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
    verify: (message, signature) => verifySignature(publicKey, message, signature),
  };
}

export type Verifier = Pick<CheckpointSigner, 'keyId' | 'verify'>;

/** A verifier only (for `arx audit verify` with a public key). */
export function verifierFromPublicKey(publicKey: KeyObject): Verifier {
  return {
    keyId: keyIdOf(publicKey),
    verify: (message, signature) => verifySignature(publicKey, message, signature),
  };
}

export function generateSigner(): CheckpointSigner {
  return signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

export interface KeyLocation {
  /** `governance.audit.signing_key_path`: must exist when given. */
  signingKeyPath?: string | undefined;
  /** ARX_HOME: the default key is created under it. */
  home: string;
}

/** The signer for this deployment: the configured key, or the ARX_HOME key (created when missing). */
export function loadOrCreateSigner(location: KeyLocation): CheckpointSigner {
  if (location.signingKeyPath) return signerFromPrivateKey(readPrivateKey(location.signingKeyPath));
  const file = join(location.home, DEFAULT_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    writeFileSync(`${file.replace(/\.pem$/, '')}.pub.pem`, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return signerFromPrivateKey(readPrivateKey(file));
}

/**
 * The key to verify checkpoints with, without creating one: a public key file (an auditor's copy), else the
 * deployment's private key; undefined when neither exists.
 */
export function loadVerifier(
  location: KeyLocation & { publicKeyPath?: string | undefined },
): Verifier | undefined {
  if (location.publicKeyPath) {
    let pem: string;
    try {
      pem = readFileSync(location.publicKeyPath, 'utf8');
    } catch (err) {
      throw new ArxError('audit_key_missing', `public key not readable: ${location.publicKeyPath}`, {
        fault: 'caller',
        cause: err,
      });
    }
    return verifierFromPublicKey(createPublicKey(pem));
  }
  const file = location.signingKeyPath ?? join(location.home, DEFAULT_KEY_FILE);
  return existsSync(file) ? signerFromPrivateKey(readPrivateKey(file)) : undefined;
}

function readPrivateKey(path: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ArxError('audit_key_missing', `audit signing key not readable: ${path}`, {
      fault: 'caller',
      hint: 'set governance.audit.signing_key_path to an Ed25519 private key (PEM), or remove it to use ARX_HOME/keys',
      cause: err,
    });
  }
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new ArxError('audit_key_invalid', `audit signing key is not a PEM private key: ${path}`, {
      fault: 'caller',
      hint: 'create one with: openssl genpkey -algorithm ed25519 -out audit-ed25519.pem',
      cause: err,
    });
  }
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function verifySignature(publicKey: KeyObject, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
