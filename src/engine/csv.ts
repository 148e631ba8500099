/**
 * RFC 4180 output with spreadsheet formula neutralisation: a cell that starts with = + - @, a tab
 * or a carriage return is prefixed with a single quote, so a command line written by an attacker
 * (`=HYPERLINK(...)`) stays text when an analyst opens the file in a spreadsheet.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 quoting, only where the cell needs it. */
export function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function csvCell(cell: string): string {
  return quoteCell(neutraliseFormula(cell));
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
