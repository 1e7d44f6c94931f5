import { readXml, type XmlElement, type XmlRefusal, type XmlValue } from '../xml/read-xml.ts';
import { escapeXml } from '../xml/xml-writer.ts';
import { emsiSchema, resolveNode, type DocumentError, type SchemaNode } from './emsi-schema.ts';

/** The XML namespace of the EMSI profile (EMSI.xsd's targetNamespace). */
export const EMSI_NAMESPACE = 'urn:emergency:eda:1.9:emsi';

/**
 * EMSI XML and its JSON form are one model: the elements are the JSON properties, in the order the
 * schema lists them (the XSD's sequences, checked identical), a repeated element is a JSON array.
 * So the schema drives both directions, and an XML message is checked by the same JSON schema.
 */

/** The message as EMSI XML, valid against EMSI.xsd when the JSON is valid against the schema. */
export function emsiToXml(message: object): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<emsi xmlns="${EMSI_NAMESPACE}">`];
  writeObject(out, message as Record<string, unknown>, emsiSchema(), '  ');
  out.push('</emsi>');
  return `${out.join('\n')}\n`;
}

function writeObject(out: string[], value: Record<string, unknown>, node: SchemaNode | undefined, indent: string): void {
  const props = resolveNode(node)?.properties ?? {};
  // Schema order first (the XSD checks it); anything the schema does not know would fail anyway.
  const names = [...Object.keys(props).filter((k) => k in value), ...Object.keys(value).filter((k) => !(k in props))];
  for (const name of names) {
    const v = value[name];
    const child = resolveNode(props[name]);
    const items = Array.isArray(v) ? v : [v];
    const itemNode = child?.type === 'array' ? child.items : child;
    for (const item of items) writeElement(out, name, item, itemNode, indent);
  }
}

function writeElement(out: string[], name: string, value: unknown, node: SchemaNode | undefined, indent: string): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'object') {
    out.push(`${indent}<${name}>`);
    writeObject(out, value as Record<string, unknown>, node, `${indent}  `);
    out.push(`${indent}</${name}>`);
  } else out.push(`${indent}<${name}>${escapeXml(String(value))}</${name}>`);
}

export type EmsiXmlRead = { readonly ok: true; readonly message: Record<string, unknown> } | XmlRefusal | { readonly ok: false; readonly code: 'InvalidDocument'; readonly errors: DocumentError[] };

/** Reads EMSI XML (through the one safe reader) into the JSON form, for the same schema check. */
export function emsiFromXml(input: string | Uint8Array, maxBytes?: number): EmsiXmlRead {
  const read = readXml(input, maxBytes === undefined ? {} : { maxBytes });
  if (!read.ok) return read;
  if (read.root !== 'emsi' || read.namespace !== EMSI_NAMESPACE) {
    const found = `${read.namespace === undefined ? '' : `{${read.namespace}}`}${read.root}`;
    return { ok: false, code: 'InvalidDocument', errors: [{ path: '/', message: `the root element must be {${EMSI_NAMESPACE}}emsi, not ${found}` }] };
  }
  const value = typeof read.value === 'string' ? {} : read.value;
  return { ok: true, message: toJson(value, emsiSchema()) as Record<string, unknown> };
}

/** One element's content as the schema's JSON: arrays where it repeats, numbers where it counts. */
function toJson(value: XmlValue, node: SchemaNode | undefined): unknown {
  const resolved = resolveNode(node);
  if (typeof value === 'string') {
    if (resolved?.properties !== undefined) return value === '' ? {} : value;
    if ((resolved?.type === 'number' || resolved?.type === 'integer') && value.trim() !== '' && Number.isFinite(Number(value))) {
      return Number(value);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v as XmlValue, node));
  const element = value as XmlElement;
  const props = resolved?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(element)) {
    if (name.startsWith('@')) continue;
    const childNode = resolveNode(props[name]);
    if (childNode?.type === 'array') {
      const list = Array.isArray(child) ? (child as XmlValue[]) : [child];
      out[name] = list.map((c) => toJson(c, childNode.items));
    } else out[name] = toJson(child, childNode);
  }
  return out;
}
