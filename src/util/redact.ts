/**
 * URL userinfo (`nats://user:pass@host:4222`, `tls://token@host`) is a secret wherever it could
 * be shown: logs, errors, events, status, `validate`. These replace it with `***`, keeping the
 * scheme, host and port so the server is still named.
 */

/** `scheme://userinfo@` anywhere in a text; userinfo stops at "/", whitespace, quotes and the last "@" before the host. */
const USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#"'`<>@]*(?:@[^\s/?#"'`<>@]*)*@/g;

/** `nats://***@host:4222` for a URL with userinfo; any other text unchanged. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** Every `scheme://userinfo@` in a free text (an error message, a log line) with the userinfo redacted. */
export function redactText(text: string): string {
  return text.includes('@') ? text.replace(USERINFO, '$1***@') : text;
}

/**
 * Removes each secret value from a text (a token echoed back by a library, a password in an
 * error): every occurrence becomes `***`. Values shorter than 4 characters are left alone, as
 * they would redact ordinary words.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = redactText(text);
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
