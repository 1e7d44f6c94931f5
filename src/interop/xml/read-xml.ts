import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The one reader of XML that comes from outside (imports, partners, gateways). It never expands
 * anything a document declares: any DTD (DOCTYPE, ENTITY, ELEMENT, ATTLIST, NOTATION) is refused
 * before the parser sees the text, which rules out external entities (XXE) and entity expansion
 * (billion laughs) whatever the parser would have done. Size and nesting are bounded too, and the
 * bytes are decoded from UTF-8, UTF-16 (by its BOM or its first characters) or ISO-8859-1 only, so a
 * declaration cannot hide behind an encoding the checks do not read.
 */

export type XmlRefusalCode = 'XmlDoctypeRefused' | 'MalformedXml' | 'XmlTooDeep' | 'XmlTooLarge';

export interface XmlRefusal {
  readonly ok: false;
  readonly code: XmlRefusalCode;
  readonly message: string;
}

/** An element as read: child elements by local name, attributes under `@name`, text under `#text`. */
export type XmlElement = { readonly [name: string]: XmlValue };
export type XmlValue = string | XmlElement | readonly XmlValue[];

export interface XmlDocument {
  readonly ok: true;
  /** Local name of the root element (namespace prefix removed). */
  readonly root: string;
  /** The root element's default or prefixed namespace URI, when it declares one. */
  readonly namespace: string | undefined;
  /** The root element's content. */
  readonly value: XmlElement | string;
}

export interface XmlReadOptions {
  /** Bytes (or UTF-16 code units for a string) at most; 1 MiB unless given. */
  readonly maxBytes?: number;
  /** Element nesting at most; 64 unless given. */
  readonly maxDepth?: number;
  /** Elements (by local name and dotted path of local names from the root) always read as arrays. */
  readonly isArray?: (name: string, path: string) => boolean;
}

export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;
export const DEFAULT_MAX_XML_DEPTH = 64;

const refuse = (code: XmlRefusalCode, message: string): XmlRefusal => ({ ok: false, code, message });

/** Control characters other than tab, newline and return: not XML 1.0, though the parser lets them through. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTER = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Any markup declaration: only a DTD uses them, and we read no DTD (found even inside comments). */
const DECLARATION = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** Reads outside XML into plain values, or says why it will not. Pure: no I/O, no resolution. */
export function readXml(input: string | Uint8Array, options: XmlReadOptions = {}): XmlDocument | XmlRefusal {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
  if (input.length > maxBytes) return refuse('XmlTooLarge', `The XML is larger than ${maxBytes} bytes`);
  const decoded = typeof input === 'string' ? input : decodeXmlBytes(input);
  if (typeof decoded !== 'string') return decoded;
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  if (text.includes('\u0000')) return refuse('MalformedXml', 'The XML holds a NUL character (wrong encoding?)');
  const forbidden = FORBIDDEN_CHARACTER.exec(text);
  if (forbidden !== null) {
    return refuse('MalformedXml', `The XML holds U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, a character XML 1.0 does not allow`);
  }
  if (DECLARATION.test(text)) {
    return refuse('XmlDoctypeRefused', 'The XML declares a DTD or entities, which are refused (XXE, entity expansion)');
  }
  const scanned = scanMarkup(text, maxDepth);
  if (scanned !== undefined) return scanned;
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    return refuse('MalformedXml', `The XML is not well formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  return parse(text, options.isArray);
}

/**
 * Walks the markup once before parsing: counts nesting and refuses any `<!` that is not a comment
 * or CDATA (a declaration the pattern above did not name), and any unterminated construct.
 */
function scanMarkup(text: string, maxDepth: number): XmlRefusal | undefined {
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    let end: number;
    if (text.startsWith('<!--', i)) end = closeAfter(text, i + 4, '-->');
    else if (text.startsWith('<![CDATA[', i)) end = closeAfter(text, i + 9, ']]>');
    else if (text.startsWith('<!', i)) {
      return refuse('XmlDoctypeRefused', 'The XML holds a markup declaration, which is refused');
    } else if (text.startsWith('<?', i)) end = closeAfter(text, i + 2, '?>');
    else if (text.startsWith('</', i)) {
      end = closeAfter(text, i + 2, '>');
      depth--;
    } else {
      end = tagEnd(text, i + 1);
      if (end !== -1 && text.charCodeAt(end - 2) !== 47 /* / */) {
        depth++;
        if (depth > maxDepth) return refuse('XmlTooDeep', `The XML nests deeper than ${maxDepth} elements`);
      }
    }
    if (end === -1) return refuse('MalformedXml', 'The XML ends inside markup');
    i = text.indexOf('<', end);
  }
  return undefined;
}

/** Index just past `close`, searching from `from`; -1 when it never comes. */
function closeAfter(text: string, from: number, close: string): number {
  const at = text.indexOf(close, from);
  return at === -1 ? -1 : at + close.length;
}

/** Index just past the `>` of a start tag, skipping quoted attribute values (they may hold `>`). */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62 /* > */) return j + 1;
  }
  return -1;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });
const LATIN1 = new TextDecoder('latin1');

/** Decodes by the BOM, else the first bytes (`<?` in UTF-16), else the declared encoding; UTF-8 by default. */
export function decodeXmlBytes(bytes: Uint8Array): string | XmlRefusal {
  const b0 = bytes[0];
  const b1 = bytes[1];
  try {
    if (b0 === 0xff && b1 === 0xfe) return UTF16LE.decode(bytes.subarray(2));
    if (b0 === 0xfe && b1 === 0xff) return UTF16BE.decode(bytes.subarray(2));
    if (b0 === 0x3c && b1 === 0x00) return UTF16LE.decode(bytes);
    if (b0 === 0x00 && b1 === 0x3c) return UTF16BE.decode(bytes);
    if (b0 === 0 || (b0 === 0xef && b1 === 0xbb && bytes[2] !== 0xbf)) {
      return refuse('MalformedXml', 'The XML is in an encoding we do not read (UTF-8, UTF-16 or ISO-8859-1)');
    }
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
    if (declared === undefined || declared === 'utf-8' || declared === 'utf8' || declared === 'us-ascii') return UTF8.decode(bytes);
    if (declared === 'iso-8859-1' || declared === 'latin1' || declared === 'iso_8859-1') return LATIN1.decode(bytes);
    return refuse('MalformedXml', `The XML declares encoding ${declared}; we read UTF-8, UTF-16 and ISO-8859-1`);
  } catch {
    return refuse('MalformedXml', 'The XML bytes do not match their encoding');
  }
}

function parse(text: string, isArray: XmlReadOptions['isArray']): XmlDocument | XmlRefusal {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // With DTDs refused, what is left to decode is the five predefined entities and character
    // references (`&#233;`); the parser decodes the latter only with its HTML table switched on.
    processEntities: true,
    htmlEntities: true,
    isArray: (name, matcher) => (isArray === undefined ? false : isArray(name, pathOf(matcher))),
  });
  let out: Record<string, unknown>;
  try {
    out = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    // The parser throws on names that would reach an object's prototype (`__proto__`).
    return refuse('MalformedXml', `The XML could not be read: ${(error as Error).message}`);
  }
  const rootName = Object.keys(out).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (rootName === undefined) return refuse('MalformedXml', 'The XML has no root element');
  const value = out[rootName] as XmlElement | string;
  return { ok: true, root: rootName, namespace: rootNamespace(text), value: value ?? '' };
}

/** fast-xml-parser gives the dotted path as a string (its `jPath` default). */
const pathOf = (jPath: unknown): string => (typeof jPath === 'string' ? jPath.split('.').map(localName).join('.') : '');

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** The namespace of the root element, read from its own start tag (we do not resolve further). */
function rootNamespace(text: string): string | undefined {
  const start = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(
    stripProlog(text),
  );
  if (start === null) return undefined;
  const [, qname = '', attrs = ''] = start;
  const prefix = qname.includes(':') ? qname.slice(0, qname.indexOf(':')) : '';
  const attr = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  const found = new RegExp(`\\s${attr.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return found === null ? undefined : (found[2] ?? found[3]);
}

/** The text from the root element on: the XML declaration, comments and PIs before it removed. */
function stripProlog(text: string): string {
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt === -1) return '';
    if (text.startsWith('<?', lt)) i = closeAfter(text, lt, '?>');
    else if (text.startsWith('<!--', lt)) i = closeAfter(text, lt, '-->');
    else return text.slice(lt);
    if (i === -1) return '';
  }
}
