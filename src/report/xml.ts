/** ANSI escape sequences (colors, cursor moves) that pods print; meaningless in a report. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
/**
 * Characters XML 1.0 forbids even when escaped: C0 controls other than tab, LF and CR, lone
 * surrogates, U+FFFE and U+FFFF. A report with one of them is rejected whole by most CI parsers.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for XML: ANSI sequences and forbidden characters removed. */
export function cleanText(text: string): string {
  return text.replace(ANSI, '').replace(INVALID_XML, '');
}

export function escapeText(text: string): string {
  return cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes and keep line breaks (a literal newline would be normalized to a space). */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

export function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
}
