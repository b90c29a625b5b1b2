// Text read from catalog files (messages, partials, config) is normalised to \n before anything
// parses or renders it: a checkout with core.autocrlf=true must render the same bytes as the commit.

/** CRLF and lone CR become LF. */
export function normaliseNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
