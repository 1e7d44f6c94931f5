import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXml } from './read-xml.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../../test/fixtures/standards/xml/${name}`, import.meta.url));

const refusedWith = (input: string | Uint8Array, options?: Parameters<typeof readXml>[1]): string => {
  const read = readXml(input, options);
  if (read.ok) throw new Error(`expected a refusal, read ${JSON.stringify(read.value).slice(0, 200)}`);
  return read.code;
};

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>`;

describe('readXml refuses every DTD before parsing', () => {
  it('refuses the official EDXL-DE external-entity sample (file:///etc/hostname)', () => {
    expect(refusedWith(fixture('external-entity.xml'))).toBe('XmlDoctypeRefused');
  });

  it('refuses the CAP xee sample (external DTD, parameter entities, XInclude)', () => {
    expect(refusedWith(fixture('xee.cap'))).toBe('XmlDoctypeRefused');
  });

  it('refuses the billion laughs', () => {
    expect(refusedWith(BILLION_LAUGHS)).toBe('XmlDoctypeRefused');
  });

  it('refuses parameter entities in an internal subset', () => {
    const xml = '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]><a>x</a>';
    expect(refusedWith(xml)).toBe('XmlDoctypeRefused');
  });

  it('refuses a DOCTYPE hidden after a comment, a PI and a BOM, in any letter case', () => {
    const xml = '\uFEFF<?xml version="1.0"?><!-- harmless --><?pi x?>\n<!doctype a SYSTEM "file:///etc/passwd"><a/>';
    expect(refusedWith(xml)).toBe('XmlDoctypeRefused');
    expect(refusedWith(Buffer.from(xml, 'utf8'))).toBe('XmlDoctypeRefused');
  });

  it('refuses a DOCTYPE written in UTF-16, with or without its BOM, little or big endian', () => {
    const xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    const le = Buffer.from(xml, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(refusedWith(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))).toBe('XmlDoctypeRefused');
    expect(refusedWith(le)).toBe('XmlDoctypeRefused');
    expect(refusedWith(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe('XmlDoctypeRefused');
    expect(refusedWith(be)).toBe('XmlDoctypeRefused');
  });

  it('refuses a bare ENTITY or other declaration even without a DOCTYPE', () => {
    expect(refusedWith('<a><!ENTITY x "y"></a>')).toBe('XmlDoctypeRefused');
    expect(refusedWith('<a><!ATTLIST a b CDATA "c"></a>')).toBe('XmlDoctypeRefused');
    expect(refusedWith('<a><! DOCTYPE a></a>')).toBe('XmlDoctypeRefused');
    expect(refusedWith('<a><!FOO></a>')).toBe('XmlDoctypeRefused');
  });

  it('leaves an undeclared entity reference unexpanded or refused, never resolved', () => {
    const read = readXml('<a>&xxe;</a>');
    if (read.ok) expect(read.value).toBe('&xxe;');
    else expect(read.code).toBe('MalformedXml');
  });
});

describe('readXml bounds what it reads', () => {
  it('refuses more bytes than allowed', () => {
    expect(refusedWith(`<a>${'x'.repeat(2000)}</a>`, { maxBytes: 1000 })).toBe('XmlTooLarge');
  });

  it('refuses nesting deeper than allowed, and reads it at the limit', () => {
    const nest = (n: number): string => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(refusedWith(nest(11), { maxDepth: 10 })).toBe('XmlTooDeep');
    expect(readXml(nest(10), { maxDepth: 10 }).ok).toBe(true);
    expect(refusedWith(nest(100_000))).toBe('XmlTooDeep');
  });

  it('refuses text that is not well formed, bytes that are not their encoding, and other encodings', () => {
    expect(refusedWith('<a><b></a>')).toBe('MalformedXml');
    expect(refusedWith('<a>')).toBe('MalformedXml');
    expect(refusedWith('<a><!-- never closed </a>')).toBe('MalformedXml');
    expect(refusedWith(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0xfd, 0x3c, 0x2f, 0x61, 0x3e]))).toBe('MalformedXml');
    expect(refusedWith(Buffer.from('<?xml version="1.0" encoding="EBCDIC-US"?><a/>'))).toBe('MalformedXml');
    // Characters XML 1.0 forbids, which a strict reader (libxml2) refuses too.
    expect(refusedWith('<a>bell\u0007</a>')).toBe('MalformedXml');
    expect(refusedWith('<a b="\u001B[0m"/>')).toBe('MalformedXml');
    expect(readXml('<a>tab\tnew\nline\r</a>').ok).toBe(true);
  });
});

describe('readXml reads ordinary documents', () => {
  it('gives the root, its namespace, child elements by local name, attributes and text', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment mentioning nothing -->
<e:emsi xmlns:e="urn:emergency:eda:1.9:emsi" v="1"><e:CONTEXT><e:ID>a &amp; b &#233; &amp;#233;</e:ID></e:CONTEXT><e:R>1</e:R><e:R>2</e:R><![CDATA[<x>]]></e:emsi>`;
    const read = readXml(xml, { isArray: (name) => name === 'R' });
    expect(read).toMatchObject({
      ok: true,
      root: 'emsi',
      namespace: 'urn:emergency:eda:1.9:emsi',
      value: { '@v': '1', CONTEXT: { ID: 'a & b é &#233;' }, R: ['1', '2'] },
    });
  });

  it('reads ISO-8859-1 and UTF-16 by their declaration or BOM', () => {
    const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>', 'latin1');
    expect(readXml(latin)).toMatchObject({ ok: true, value: 'café' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a xmlns="urn:x">été</a>', 'utf16le')]);
    expect(readXml(utf16)).toMatchObject({ ok: true, root: 'a', namespace: 'urn:x' });
  });

  it('keeps a property named __proto__ from reaching the prototype', () => {
    expect(refusedWith('<a><__proto__><polluted>yes</polluted></__proto__></a>')).toBe('MalformedXml');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
