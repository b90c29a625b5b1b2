// The markdown plan's link to the visual diff (`plan --format html`), published by CI at a URL.

export function previewLinkLine(url: string): string {
  // Markdown link syntax breaks on ')' and spaces; the URL is checked to be http(s) by the CLI.
  const safe = url.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
  return `🔍 **[See the changed messages as recipients will (before/after bubbles)](${safe})**\n`;
}

/** The markdown plan with the link under its heading. */
export function withPreviewLink(markdown: string, url: string): string {
  const end = markdown.indexOf('\n');
  if (end < 0) return `${markdown}\n\n${previewLinkLine(url)}`;
  return `${markdown.slice(0, end + 1)}\n${previewLinkLine(url)}${markdown.slice(end + 1)}`;
}
