import type { KeyPath } from './path.js';

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

/**
 * Finds where a key path is written in TOML source, because smol-toml reports no positions.
 * It is a small scanner, not a parser: it understands headers (`[a."b"]`), dotted keys, values
 * spanning lines (arrays, inline tables, multi-line strings) and comments, and records the position
 * of every key and array element. `[[array.tables]]` are skipped (we have none), so nothing beneath
 * them is ever located rather than located wrongly. Run it on text that already parsed as TOML.
 */
export class SourceLocator {
  private readonly positions = new Map<string, SourcePosition>();
  private readonly text: string;
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(text: string) {
    this.text = text;
    this.scan();
  }

  /** Position of exactly this path, or null. */
  exact(path: KeyPath): SourcePosition | null {
    return this.positions.get(keyOf(path)) ?? null;
  }

  /** Position of the path or, failing that, of its nearest written ancestor (the table that holds it). */
  locate(path: KeyPath): SourcePosition | null {
    for (let n = path.length; n > 0; n--) {
      const hit = this.exact(path.slice(0, n));
      if (hit !== null) return hit;
    }
    return null;
  }

  private record(path: KeyPath, at: SourcePosition, overwrite: boolean): void {
    const key = keyOf(path);
    if (overwrite || !this.positions.has(key)) this.positions.set(key, at);
  }

  private here(): SourcePosition {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.i + offset];
  }

  private advance(): void {
    if (this.text[this.i] === '\n') {
      this.line++;
      this.lineStart = this.i + 1;
    }
    this.i++;
  }

  private skipSpaces(newlines: boolean): void {
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t' || ch === '\r' || (newlines && ch === '\n')) this.advance();
      else if (newlines && ch === '#') this.skipLine();
      else return;
    }
  }

  private skipLine(): void {
    while (this.i < this.text.length && this.peek() !== '\n') this.advance();
  }

  private scan(): void {
    let table: KeyPath | null = [];
    while (this.i < this.text.length) {
      this.skipSpaces(true);
      const ch = this.peek();
      if (ch === undefined) return;
      if (ch === '[') {
        const isArrayTable = this.peek(1) === '[';
        this.advance();
        if (isArrayTable) this.advance();
        const keys = this.readDottedKey();
        if (isArrayTable || keys === null) {
          table = null;
        } else {
          keys.forEach((k, n) => this.record(keys.slice(0, n + 1).map((x) => x.key), k.at, n === keys.length - 1));
          table = keys.map((k) => k.key);
        }
        this.skipLine();
        continue;
      }
      const start = this.i;
      this.readKeyValue(table);
      if (this.i === start) this.advance();
      this.skipLine();
    }
  }

  /** `a.b = value` inside `prefix`; records every key and nested position, consumes the value. */
  private readKeyValue(prefix: KeyPath | null): void {
    const keys = this.readDottedKey();
    if (keys === null) return;
    if (prefix !== null) {
      keys.forEach((k, n) => this.record([...prefix, ...keys.slice(0, n + 1).map((x) => x.key)], k.at, n === keys.length - 1));
    }
    this.skipSpaces(false);
    if (this.peek() !== '=') return;
    this.advance();
    this.skipSpaces(false);
    this.readValue(prefix === null ? null : [...prefix, ...keys.map((k) => k.key)]);
  }

  private readValue(path: KeyPath | null): void {
    const ch = this.peek();
    if (ch === '"' || ch === "'") {
      this.readString();
    } else if (ch === '[') {
      this.advance();
      for (let index = 0; ; index++) {
        this.skipSpaces(true);
        if (this.peek() === ']' || this.peek() === undefined) break;
        if (path !== null) this.record([...path, index], this.here(), true);
        this.readValue(path === null ? null : [...path, index]);
        this.skipSpaces(true);
        if (this.peek() === ',') this.advance();
        else break;
      }
      if (this.peek() === ']') this.advance();
    } else if (ch === '{') {
      this.advance();
      for (;;) {
        this.skipSpaces(false);
        if (this.peek() === '}' || this.peek() === undefined || this.peek() === '\n') break;
        const start = this.i;
        this.readKeyValue(path);
        this.skipSpaces(false);
        if (this.peek() === ',') this.advance();
        else if (this.i === start) break;
      }
      if (this.peek() === '}') this.advance();
    } else {
      while (this.i < this.text.length && !/[,\]}\s#]/.test(this.peek() as string)) this.advance();
    }
  }

  /** Consumes a basic, literal or multi-line string and returns its (approximately) decoded text. */
  private readString(): string {
    const quote = this.peek() as string;
    const multi = this.text.startsWith(quote.repeat(3), this.i);
    const delimiter = multi ? quote.repeat(3) : quote;
    for (let n = 0; n < delimiter.length; n++) this.advance();
    let out = '';
    while (this.i < this.text.length) {
      if (this.text.startsWith(delimiter, this.i)) {
        // A multi-line string may end with up to two extra quotes belonging to its content.
        while (multi && this.peek(3) === quote) {
          out += quote;
          this.advance();
        }
        for (let n = 0; n < delimiter.length; n++) this.advance();
        return out;
      }
      if (quote === '"' && this.peek() === '\\') {
        out += this.decodeEscape();
        continue;
      }
      out += this.peek();
      this.advance();
    }
    return out;
  }

  private decodeEscape(): string {
    const start = this.i;
    this.advance();
    const ch = this.peek() ?? '';
    this.advance();
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };
    if (ch in simple) return simple[ch] ?? '';
    if (ch === 'u' || ch === 'U' || ch === 'x') {
      const length = ch === 'u' ? 4 : ch === 'U' ? 8 : 2;
      const hex = this.text.slice(this.i, this.i + length);
      for (let n = 0; n < length; n++) this.advance();
      return String.fromCodePoint(Number.parseInt(hex, 16) || 0);
    }
    return this.text.slice(start, this.i);
  }

  private readDottedKey(): { key: string; at: SourcePosition }[] | null {
    const keys: { key: string; at: SourcePosition }[] = [];
    for (;;) {
      this.skipSpaces(false);
      const at = this.here();
      const ch = this.peek();
      let key: string;
      if (ch === '"' || ch === "'") {
        key = this.readString();
      } else {
        const start = this.i;
        while (/[A-Za-z0-9_-]/.test(this.peek() ?? '')) this.advance();
        if (this.i === start) return null;
        key = this.text.slice(start, this.i);
      }
      keys.push({ key, at });
      this.skipSpaces(false);
      if (this.peek() !== '.') return keys;
      this.advance();
    }
  }
}

function keyOf(path: KeyPath): string {
  return JSON.stringify(path);
}
