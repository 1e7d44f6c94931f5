import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from './csv.ts';

const rows = (text: string) => [...parseCsv(text)];

describe('parseCsv: RFC 4180 records', () => {
  it('splits plain fields on commas and rows on LF', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('keeps a comma inside a quoted field, as DataSF writes its Location "(lat, lon)"', () => {
    expect(rows('Call,Location\n1,"(37.745858648581, -122.456664252061)"\n')).toEqual([
      ['Call', 'Location'],
      ['1', '(37.745858648581, -122.456664252061)'],
    ]);
  });

  it('reads a doubled quote inside a quoted field as one quote', () => {
    expect(rows('"say ""hello""",x\n')).toEqual([['say "hello"', 'x']]);
    expect(rows('""""\n')).toEqual([['"']]);
  });

  it('keeps line breaks inside a quoted field as part of the field', () => {
    expect(rows('id,notes\n1,"line one\nline two\r\nline three"\n2,ok\n')).toEqual([
      ['id', 'notes'],
      ['1', 'line one\nline two\r\nline three'],
      ['2', 'ok'],
    ]);
  });

  it('accepts CRLF and bare CR line ends', () => {
    expect(rows('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(rows('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields, quoted or not, including a trailing one', () => {
    expect(rows('a,,c,""\n,,\n1,\n')).toEqual([
      ['a', '', 'c', ''],
      ['', '', ''],
      ['1', ''],
    ]);
  });

  it('reads a last row that has no line end', () => {
    expect(rows('a,b\n1,"2"')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('skips blank lines', () => {
    expect(rows('a\n\n\nb\n')).toEqual([['a'], ['b']]);
  });

  it('yields nothing for empty text', () => {
    expect(rows('')).toEqual([]);
  });
});

describe('parseCsvRecords: records keyed by the header row', () => {
  it('maps each row to the header names, quoted fields included', () => {
    expect(parseCsvRecords('Call Number,Address,Location\n163664050,"0 Block of BALCETA AVE","(37.7, -122.4)"\n')).toEqual([
      { 'Call Number': '163664050', Address: '0 Block of BALCETA AVE', Location: '(37.7, -122.4)' },
    ]);
  });

  it('strips a UTF-8 byte order mark from the first header', () => {
    const [rec] = parseCsvRecords('\uFEFFCall Number,Unit ID\n1,E36\n');
    expect(Object.keys(rec!)).toEqual(['Call Number', 'Unit ID']);
  });

  it('fills fields missing at the end of a short row with empty text', () => {
    expect(parseCsvRecords('a,b,c\n1\n')).toEqual([{ a: '1', b: '', c: '' }]);
  });

  it('returns no records for empty text or a header alone', () => {
    expect(parseCsvRecords('')).toEqual([]);
    expect(parseCsvRecords('a,b\n')).toEqual([]);
  });
});
