export { formatSummaryTable, type SummaryRow, type TaskOutcome } from './summary-table.js';
export { FAILURE_LINES, renderJUnit, reportName, writeJUnitReport, type JUnitCase, type JUnitOutputLine, type JUnitReport, type JUnitResult, type JUnitSuite } from './junit.js';
export { formatElapsed } from './format.js';
