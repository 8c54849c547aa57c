import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

/** The report's contract (see the comment at its top): no looser than what CI consumers enforce. */
export const JUNIT_XSD = join(dirname(fileURLToPath(import.meta.url)), 'junit-report.xsd');

/**
 * Problems libxml2's XSD validator (xmllint, compiled to WebAssembly, so no system package is
 * needed) finds in `xml`; [] when it is valid. Each problem is `line: message`.
 */
export async function junitSchemaProblems(xml: string, xsd: string = JUNIT_XSD): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'report.xml', contents: xml }, schema: { fileName: 'schema.xsd', contents: readFileSync(xsd, 'utf8') } });
  return result.valid ? [] : result.errors.map((e) => `${e.loc?.lineNumber ?? '?'}: ${e.message}`);
}
