/** Attributes of every `<name …>` start tag (pages always double-quote and escape attribute values). */
export function tags(html: string, name: string): Record<string, string>[] {
  return [...html.matchAll(new RegExp(`<${name}(\\s[^>]*)?>`, 'g'))].map((m) =>
    Object.fromEntries(
      [...(m[1] ?? '').matchAll(/([a-z:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1], a[2] ?? '']),
    ),
  );
}

/** The visible text of a page, tags dropped and white space collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<\/?(a|span|time|small|em|strong)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The content of the page element whose start tag matches `start`, up to its matching close (no nesting). */
export function section(html: string, start: RegExp, end: string): string {
  const at = html.search(start);
  if (at < 0) return '';
  const close = html.indexOf(end, at);
  return html.slice(at, close < 0 ? undefined : close + end.length);
}
