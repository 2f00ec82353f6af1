import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How a browser gets in without the token ever being on a command line: `quire serve` writes a
 * user-only launch page (launchFile.ts) that sends the browser to `/launch?code=…` with a one-time
 * code; the server swaps the code for an HttpOnly, SameSite=Strict session cookie and redirects to
 * `/`. The WebSocket then accepts the cookie as well as the token (`?token=` still works for the URL
 * printed on stdout). Codes work once, so the launch page's address in a browser's history is worthless.
 */
export const LAUNCH_PATH = '/launch';

/** Constant-time comparison; hashing first makes the lengths equal so length leaks nothing either. */
export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** A cookie's value from a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class LaunchSessions {
  private readonly _codes = new Set<string>();

  /**
   * Cookies ignore ports, so each server's cookie has its own name (another server on 127.0.0.1 never
   * sees it). `secret` is the cookie's value: fresh by default; a host restarted in its predecessor's
   * place passes the old one, so browsers logged in to it stay logged in (see serveRecord.ts).
   */
  constructor(readonly cookieName: string, readonly secret: string = randomBytes(32).toString('hex')) {}

  /** A fresh one-time code. */
  createCode(): string {
    const code = randomBytes(32).toString('hex');
    this._codes.add(code);
    return code;
  }

  /** True (once) for a code this server handed out and nobody used yet. */
  redeem(code: string | null | undefined): boolean {
    for (const known of this._codes) {
      if (tokensMatch(known, code)) {
        this._codes.delete(known);
        return true;
      }
    }
    return false;
  }

  /** The session cookie a redeemed code earns: script cannot read it, other sites never send it. */
  setCookieHeader(): string {
    return `${this.cookieName}=${this.secret}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Whether a request's `Cookie` header carries this server's session. */
  hasSession(cookieHeader: string | undefined): boolean {
    return tokensMatch(this.secret, cookieValue(cookieHeader, this.cookieName));
  }
}
