/**
 * A small XML writer for the documents we emit (CAP alerts, the Atom feed), and the one escaper of
 * every XML we write (EMSI and PIDF-LO too): elements with text, every text escaped, nothing
 * parsed. Outside XML is read by read-xml.ts only.
 */
export type XmlNode = { readonly name: string; readonly attrs?: Readonly<Record<string, string>>; readonly children: readonly XmlChild[] };
export type XmlChild = XmlNode | string;

/** Characters XML 1.0 does not allow at all (control characters other than tab, newline, return). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text or a double-quoted attribute value as XML: markup escaped, characters XML 1.0 forbids dropped (a strict reader refuses the whole document for one). */
export const escapeXml = (s: string): string =>
  s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export const el = (name: string, ...children: readonly (XmlChild | undefined)[]): XmlNode => ({
  name,
  children: children.filter((c): c is XmlChild => c !== undefined),
});

/** An element with text, or nothing when the text is absent or blank (CAP's optional elements). */
export const textEl = (name: string, text: string | undefined): XmlNode | undefined =>
  text === undefined || text.trim() === '' ? undefined : el(name, text);

export const withAttrs = (node: XmlNode, attrs: Readonly<Record<string, string>>): XmlNode => ({ ...node, attrs: { ...node.attrs, ...attrs } });

/** Serialises with two-space indentation; an element holding text alone stays on one line. */
export function writeXml(node: XmlNode, indent = ''): string {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (node.children.length === 0) return `${indent}<${node.name}${attrs}/>`;
  if (node.children.every((c) => typeof c === 'string')) {
    return `${indent}<${node.name}${attrs}>${escapeXml(node.children.join(''))}</${node.name}>`;
  }
  const inner = node.children.map((c) => (typeof c === 'string' ? `${indent}  ${escapeXml(c)}` : writeXml(c, `${indent}  `))).join('\n');
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
