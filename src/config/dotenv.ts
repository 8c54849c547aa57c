export interface DotenvProblem {
  /** 1-based line in the env file. */
  readonly line: number;
  readonly message: string;
}

export interface DotenvResult {
  readonly values: Record<string, string>;
  readonly problems: readonly DotenvProblem[];
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;
const DQUOTE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', $: '$' };

/**
 * A deliberately small dotenv dialect: `KEY=VALUE`, optional `export `, `#` comments (whole line, or
 * after whitespace in an unquoted value), single quotes literal, double quotes with `\n \r \t \\ \"`.
 * No variable interpolation and no multi-line values, so what you read is what the process gets.
 * Later assignments win. Every bad line is reported, none stops the parse.
 */
export function parseDotenv(text: string): DotenvResult {
  const values: Record<string, string> = {};
  const problems: DotenvProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*(?:#.*)?$/.test(raw)) return;
    const match = LINE.exec(raw);
    if (match?.[1] === undefined || match[2] === undefined) {
      problems.push({ line, message: `expected KEY=VALUE, got ${JSON.stringify(raw.trim())}` });
      return;
    }
    const value = parseValue(match[2]);
    if (typeof value === 'string') values[match[1]] = value;
    else problems.push({ line, message: `${match[1]}: ${value.error}` });
  });
  return { values, problems };
}

function parseValue(raw: string): string | { error: string } {
  const first = raw[0];
  if (first === "'" || first === '"') {
    const end = findClosingQuote(raw, first);
    if (end === -1) return { error: `unterminated ${first === '"' ? 'double' : 'single'} quote` };
    const rest = raw.slice(end + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) return { error: `unexpected text after the closing quote: ${JSON.stringify(rest)}` };
    const body = raw.slice(1, end);
    return first === "'" ? body : body.replace(/\\(.)/g, (whole, ch: string) => DQUOTE_ESCAPES[ch] ?? whole);
  }
  return raw.replace(/\s+#.*$/, '');
}

function findClosingQuote(raw: string, quote: string): number {
  for (let i = 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === '\\') i++;
    else if (raw[i] === quote) return i;
  }
  return -1;
}
