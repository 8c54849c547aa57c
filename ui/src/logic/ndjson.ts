/**
 * Splits a text stream into lines and parses each as JSON (the API's NDJSON streams). A chunk may end
 * mid-line; the rest waits for the next chunk. A line that is not JSON is handed to `onBad` and
 * skipped: one bad line never ends the stream.
 */
export function ndjsonSplitter(onValue: (value: unknown) => void, onBad: (line: string) => void = () => {}): { push(chunk: string): void; end(): void } {
  let pending = '';
  const emit = (line: string): void => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      onBad(line);
      return;
    }
    onValue(value);
  };
  return {
    push(chunk) {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        emit(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    },
    end() {
      const rest = pending;
      pending = '';
      emit(rest);
    },
  };
}
