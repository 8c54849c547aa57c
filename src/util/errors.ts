/**
 * Base of every error the orchestrator raises on purpose. Callers branch on `code`, never on
 * the message text; the message names the bad value and, where possible, what to do instead.
 */
export class OrchestratorError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
