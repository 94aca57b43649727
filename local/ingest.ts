/** One article read from an ingest file, with where it was. */
export interface IngestItem {
  line: number;
  id: string | undefined;
  article: Record<string, unknown>;
}

/** Parses a JSON array or JSON Lines file of articles; throws with the line of a syntax error. */
export function parseArticleFile(text: string): IngestItem[] {
  const trimmed = text.trim();
  const toItem = (value: unknown, line: number): IngestItem => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`item ${line} is not a JSON object`);
    }
    const { id, ...article } = value as Record<string, unknown>;
    return { line, id: typeof id === 'string' ? id : undefined, article };
  };
  if (trimmed.startsWith('[')) {
    const values = JSON.parse(trimmed) as unknown[];
    return values.map((v, i) => toItem(v, i + 1));
  }
  return trimmed
    .split('\n')
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      try {
        return toItem(JSON.parse(line), number);
      } catch (error) {
        throw new Error(`line ${number}: ${(error as Error).message}`);
      }
    });
}
