/** Where and why a text is not JSON: 1-based line and column, and what was expected there. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function describe(char: string | undefined): string {
  if (char === undefined) return 'the end of the body';
  if (char === '\n' || char === '\r') return 'a line break';
  if (char < ' ')
    return `control character U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  return JSON.stringify(char);
}

/** A recursive-descent reader of RFC 8259 JSON that stops at the first error. */
class Scanner {
  private at = 0;
  constructor(private readonly text: string) {}

  run(): void {
    this.space();
    this.value('a JSON value');
    this.space();
    if (this.at < this.text.length) this.fail('expected the end of the body after the JSON value');
  }

  private fail(message: string, offset = this.at): never {
    throw new Stop(offset, message);
  }

  private unexpected(expected: string): never {
    const found = this.text[this.at];
    const message = `expected ${expected}, found ${describe(found)}`;
    if (found !== undefined && /[A-Za-z_]/.test(found))
      this.fail(`${message} (text must be in double quotes)`);
    if (found === "'") this.fail(`${message} (JSON strings use double quotes)`);
    this.fail(message);
  }

  private space(): void {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? '')) this.at++;
  }

  private value(expected: string): void {
    const char = this.text[this.at];
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) this.number();
    else this.literal(expected);
  }

  private literal(expected: string): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    this.unexpected(expected);
  }

  private object(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      if (this.text[this.at] !== '"') {
        if (this.text[this.at] === '}')
          this.fail('a comma must be followed by another property (no trailing commas)');
        this.unexpected('a property name in double quotes');
      }
      this.string();
      this.space();
      if (this.text[this.at] !== ':') this.unexpected('":" after the property name');
      this.at++;
      this.space();
      this.value('a value');
      this.space();
      const next = this.text[this.at];
      if (next === '}') {
        this.at++;
        return;
      }
      if (next !== ',') this.unexpected('"," or "}" after the property value');
      this.at++;
      this.space();
    }
  }

  private array(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      if (this.text[this.at] === ']')
        this.fail('a comma must be followed by another element (no trailing commas)');
      this.value('an array element');
      this.space();
      const next = this.text[this.at];
      if (next === ']') {
        this.at++;
        return;
      }
      if (next !== ',') this.unexpected('"," or "]" after the array element');
      this.at++;
      this.space();
    }
  }

  private string(): void {
    const start = this.at;
    this.at++;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) this.fail('the string that starts here is never closed', start);
      if (char === '"') {
        this.at++;
        return;
      }
      if (char < ' ') {
        this.fail(`${describe(char)} inside a string; write it as an escape such as \\n`);
      }
      if (char === '\\') {
        const escaped = this.text[this.at + 1];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
            this.fail('\\u must be followed by four hexadecimal digits');
          }
          this.at += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          this.fail(
            `"\\${escaped ?? ''}" is not a JSON escape (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`,
          );
        }
        this.at += 2;
        continue;
      }
      this.at++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (match === null) this.fail('not a number: JSON numbers look like 12, -3.5 or 1e6');
    this.at += match[0].length;
    const next = this.text[this.at];
    if (next !== undefined && /[0-9.eE+\-xX]/.test(next)) {
      this.fail('not a number: JSON numbers have no leading zeros, hexadecimal or trailing dots');
    }
  }
}

/** Line and column (1-based) of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/**
 * Finds the first syntax error in a text that should be JSON, with its line
 * and column; undefined when the text is valid JSON.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  try {
    new Scanner(text).run();
    return undefined;
  } catch (error) {
    // A stack overflow on absurd nesting: say nothing rather than something wrong.
    if (error instanceof RangeError) return undefined;
    if (!(error instanceof Stop)) throw error;
    return { ...lineAndColumn(text, error.offset), message: error.message };
  }
}
