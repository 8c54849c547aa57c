/** How the terminal output looks: decided once from flags and the environment. */
export interface TerminalStyle {
  readonly color: boolean;
  readonly timestamps: boolean;
}

export function detectStyle(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
  flags: { color?: boolean | undefined; timestamps?: boolean | undefined },
): TerminalStyle {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
  const tty = stream.isTTY === true;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const color = flags.color ?? (forced || (tty && !ci && (env.NO_COLOR === undefined || env.NO_COLOR === '')));
  return { color, timestamps: flags.timestamps ?? (ci || !tty) };
}

const palette = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

export function paint(style: TerminalStyle, code: number, text: string): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function colorFor(index: number): number {
  return palette[index % palette.length] ?? 36;
}

export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
