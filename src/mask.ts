// Passwords never reach any output. Targets are shown with the password replaced, and every line the
// CLI writes passes through redact() as a second line of defence (error texts from libraries included).

const secrets = new Set<string>();

/** Remembers a secret so that redact() removes it from anything printed later. */
export function registerSecret(secret: string | undefined | null): void {
  if (secret) {
    secrets.add(secret);
    secrets.add(encodeURIComponent(secret));
  }
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** `scheme://user:***@host/...`; text that is not a URL is returned unchanged. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
  if (parsed.password) {
    registerSecret(decodeURIComponent(parsed.password));
    parsed.password = '***';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (/^(password|pass|sslpassword|token|key)$/i.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString().replace('%2A%2A%2A', '***');
}
