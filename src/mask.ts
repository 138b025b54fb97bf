// Passwords never reach any output, and masking never rewrites report data. A password is masked
// where a credential is printed, by its position, not by searching for its text: targets are built
// masked (db/target.ts), dump URLs pass through maskUrl(), and diagnostics on stderr pass through
// maskCredentials(), which masks only the password slot of URLs and of key=value connection strings.
// Replacing the password's text wherever it occurs would turn `"reportVersion": 1` into
// `"reportVersion": ***` for the password `1`, and `postgresql://` into `***ql://` for `postgres`.

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):([^\s@'"]*)@/gi;
const KEY_VALUE = /\b(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s'"]+)/gi;

/** Masks the password slot of every URL (`scheme://user:***@host`) and of `password=...` pairs in a text. */
export function maskCredentials(text: string): string {
  return text.replace(URL_USERINFO, (_all, head: string) => `${head}:***@`).replace(KEY_VALUE, (_all, key: string) => `${key}=***`);
}

/** `scheme://user:***@host/...`, with secret-looking query parameters masked too. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskCredentials(url);
  }
  if (parsed.password) parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) {
    if (/^(password|pass|sslpassword|token|key)$/i.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString().replace('%2A%2A%2A', '***');
}
