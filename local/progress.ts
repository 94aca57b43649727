/** Where progress goes: a terminal gets a bar redrawn in place, a pipe or file gets plain lines. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Reports `n/total` as work items finish. */
export interface Progress {
  /**
   * One item finished. Piped, `line` is printed as `n/total <line>`; on a
   * terminal it is printed above the bar, and a step without one only moves the bar.
   */
  step(line: string, quietOnTerminal?: boolean): void;
  /** Prints a line that is not a step (a warning), without moving the count. */
  note(line: string): void;
  /** Clears the bar. */
  done(): void;
}

/**
 * `n/total` progress: on a terminal one bar (`[#####-----] 12/300`) redrawn
 * under the result lines; piped, each result as `12/300 <line>`.
 */
export function createProgress(total: number, stream: ProgressStream): Progress {
  let count = 0;
  const width = String(total).length;
  const counter = () => `${String(count).padStart(width)}/${total}`;
  if (!stream.isTTY) {
    return {
      step: (line) => {
        count++;
        stream.write(`${counter()} ${line}\n`);
      },
      note: (line) => stream.write(`${line}\n`),
      done: () => {},
    };
  }
  const cells = Math.max(10, Math.min(40, (stream.columns ?? 80) - width * 2 - 6));
  const bar = () => {
    const filled = total === 0 ? cells : Math.round((count / total) * cells);
    return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}] ${counter()}`;
  };
  const clear = '\r\x1b[2K';
  return {
    step: (line, quietOnTerminal = false) => {
      count++;
      stream.write(quietOnTerminal ? `${clear}${bar()}` : `${clear}${line}\n${bar()}`);
    },
    note: (line) => stream.write(`${clear}${line}\n${bar()}`),
    done: () => stream.write(clear),
  };
}
