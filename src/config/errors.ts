import { OrchestratorError } from '../util/errors.js';

export interface ConfigProblem {
  /** The file it is in, when not tasks.toml itself (an included file), shown like ConfigError.file. */
  readonly file?: string;
  /** Key path such as `tasks.web.replicas`; empty for problems with the file as a whole. */
  readonly path: string;
  /** 1-based position in tasks.toml, null when it cannot be located. */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND' | 'CONFIG_TOML_SYNTAX';

/** Every problem found in one load, never just the first. The message is the full report. */
export class ConfigError extends OrchestratorError {
  declare readonly code: ConfigErrorCode;
  /** The config file as it should be shown to the user (relative to the cwd when inside it). */
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(code: ConfigErrorCode, file: string, problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    super(code, formatProblems(file, problems), options);
    this.file = file;
    this.problems = problems;
  }

  /** One line per problem: `tasks.toml:12:3 tasks.worker.replica: unknown key, did you mean "replicas"?` */
  format(): string {
    return formatProblems(this.file, this.problems);
  }

  /** The report as one string per problem, in order (what `format()` joins with newlines). */
  lines(): string[] {
    return this.problems.map((p) => formatProblem(p.file ?? this.file, p));
  }
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  return problems.map((p) => formatProblem(p.file ?? file, p)).join('\n');
}

/** `file:line:column path: message` (the parts that are known). */
export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line === null ? file : p.column === null ? `${file}:${p.line}` : `${file}:${p.line}:${p.column}`;
  return p.path === '' ? `${where} ${p.message}` : `${where} ${p.path}: ${p.message}`;
}
