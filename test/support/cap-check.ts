import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';

/**
 * Checks for CAP 1.2 documents and their Atom feed: XSD validation with xmllint-wasm against the
 * OASIS schema and Google's stricter one (test/fixtures/standards/cap, see PROVENANCE.md), and the
 * structure RFC 4287 asks of a feed (the RELAX NG grammar upstream is in compact syntax, which
 * libxml2 does not read).
 */
export const CAP_FIXTURES = new URL('../fixtures/standards/cap/', import.meta.url);
const xsd = (name: string) => ({ fileName: name, contents: readFileSync(new URL(name, CAP_FIXTURES), 'utf8') });
const SCHEMAS = { plain: xsd('cap12.xsd'), extended: xsd('cap12_extended.xsd') };

/** The errors of `xml` against cap12.xsd and cap12_extended.xsd: both empty when it is valid. */
export async function capErrors(xml: string | Uint8Array, fileName = 'alert.cap'): Promise<{ plain: string[]; extended: string[] }> {
  const run = async (schema: { fileName: string; contents: string }) =>
    (await validateXML({ xml: { fileName, contents: xml }, schema: [schema] })).errors.map((e) => e.message);
  return { plain: await run(SCHEMAS.plain), extended: await run(SCHEMAS.extended) };
}

type Node = Record<string, unknown>;
const ATOM = 'http://www.w3.org/2005/Atom';
const CAP = 'urn:oasis:names:tc:emergency:cap:1.2';
/** RFC 3339 date-time, as RFC 4287 §3.3 requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute, processEntities: false, parseTagValue: false });
const textOf = (n: unknown): string => (typeof n === 'string' ? n : String((n as Node)['#text'] ?? ''));

/** What is wrong with `xml` as an Atom feed whose entries carry CAP alerts (empty: nothing). */
export function atomProblems(xml: string, opts: { capInEntries: boolean }): string[] {
  const problems: string[] = [];
  if (XMLValidator.validate(xml) !== true) return ['not well-formed XML'];
  const root = parser.parse(xml) as Node;
  const feed = (root['feed'] as Node[] | undefined)?.[0];
  if (feed === undefined) return ['the root element is not feed'];
  if (feed['@xmlns'] !== ATOM) problems.push('feed is not in the Atom namespace');
  const one = (n: Node, name: string, where: string) => {
    const list = (n[name] as unknown[] | undefined) ?? [];
    if (list.length !== 1) problems.push(`${where} has ${list.length} ${name} (one wanted)`);
    return list[0];
  };
  const dated = (n: Node, where: string) => {
    const u = one(n, 'updated', where);
    if (u !== undefined && !RFC3339.test(textOf(u).trim())) problems.push(`${where} updated is not RFC 3339: ${textOf(u)}`);
  };
  one(feed, 'id', 'feed');
  one(feed, 'title', 'feed');
  dated(feed, 'feed');
  const entries = (feed['entry'] as Node[] | undefined) ?? [];
  const hasAuthor = (n: Node) => ((n['author'] as Node[] | undefined) ?? []).some((a) => (a['name'] as unknown[] | undefined)?.length === 1);
  if (!hasAuthor(feed) && !entries.every(hasAuthor)) problems.push('neither the feed nor every entry has an author with a name');
  const links = (n: Node) => (n['link'] as Node[] | undefined) ?? [];
  if (links(feed).some((l) => typeof l['@href'] !== 'string')) problems.push('a feed link has no href');
  entries.forEach((e, i) => {
    const where = `entry ${i + 1}`;
    one(e, 'id', where);
    one(e, 'title', where);
    dated(e, where);
    const content = (e['content'] as Node[] | undefined)?.[0];
    if (content === undefined && !links(e).some((l) => (l['@rel'] ?? 'alternate') === 'alternate')) problems.push(`${where} has neither content nor an alternate link`);
    if (opts.capInEntries) {
      const alerts = (content?.['alert'] as Node[] | undefined) ?? [];
      if (content?.['@type'] !== 'text/xml' || alerts.length !== 1 || alerts[0]!['@xmlns'] !== CAP) problems.push(`${where} does not carry one CAP 1.2 alert as text/xml content`);
    }
  });
  return problems;
}

/** The CAP alerts carried in a feed's entries, each as a document of its own (to validate alone). */
export function alertsInFeed(xml: string): string[] {
  return [...xml.matchAll(/<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">[\s\S]*?<\/alert>/g)].map((m) => `<?xml version="1.0" encoding="UTF-8"?>\n${m[0]}\n`);
}
