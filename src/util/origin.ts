// API origins as run identity: spelled as the URL standard writes them (lower-case scheme and host,
// no default port, no path), so `https://API.bird.com:443/` and `https://api.bird.com` are one Bird.
// Nothing more is folded: `localhost` and `127.0.0.1` stay two origins (chirp cannot prove they are
// one server; src/send/other-origins.ts refuses instead).

/** The origin of a URL or origin text as the URL standard writes it; the text itself when it is no URL. */
export function canonicalOrigin(text: string): string {
  try {
    const origin = new URL(text).origin;
    return origin === 'null' ? text : origin;
  } catch {
    return text;
  }
}

/** Whether two recorded origins name the same origin (equal text first: the common case parses nothing). */
export function sameOrigin(a: string, b: string): boolean {
  return a === b || canonicalOrigin(a) === canonicalOrigin(b);
}
