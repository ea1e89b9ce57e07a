import { randomBytes } from 'node:crypto';

/** OAuth client-credentials tokens for the Wiz emulator, with expiry checked against an injectable clock. */
export interface WizCredentials {
  clientId: string;
  clientSecret: string;
}

export const WIZ_SANDBOX_CREDENTIALS: WizCredentials = {
  clientId: 'sandbox-wiz-client',
  clientSecret: 'sandbox-wiz-client-secret',
};

/** Wiz Cognito tenants answer `audience=wiz-api`; the legacy Auth0 audience was `beyond-api`. */
export const WIZ_AUDIENCE = 'wiz-api';

export type TokenRequestResult =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: 'Bearer' } }
  | { ok: false; status: 400 | 401; body: { error: string; error_description: string } };

export class TokenStore {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(
    private readonly credentials: WizCredentials,
    private readonly now: () => number,
  ) {}

  issue(form: Record<string, string> | undefined, ttlSeconds: number): TokenRequestResult {
    if (form?.grant_type !== 'client_credentials') {
      return denied(
        400,
        'unsupported_grant_type',
        'grant_type must be client_credentials (form-encoded body)',
      );
    }
    if (form.audience !== WIZ_AUDIENCE) {
      return denied(400, 'invalid_request', `audience must be ${WIZ_AUDIENCE}`);
    }
    if (
      form.client_id !== this.credentials.clientId ||
      form.client_secret !== this.credentials.clientSecret
    ) {
      return denied(401, 'access_denied', 'Unauthorized: invalid client_id or client_secret');
    }
    this.dropExpired();
    const token = `wiz-sandbox.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { clientId: form.client_id, expiresAt: this.now() + ttlSeconds * 1000 });
    return { ok: true, body: { access_token: token, expires_in: ttlSeconds, token_type: 'Bearer' } };
  }

  /** The client id behind a `Bearer` header, or undefined when missing, unknown or expired. */
  verify(authorization: string | undefined): string | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const entry = token ? this.tokens.get(token) : undefined;
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.clientId;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
  }
}

function denied(status: 400 | 401, error: string, description: string): TokenRequestResult {
  return { ok: false, status, body: { error, error_description: description } };
}
