export { csvCell, neutralizeCell, toCsv, type CsvCell } from './csv';
