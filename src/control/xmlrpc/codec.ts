// XML-RPC on the wire: a methodCall parsed the way supervisord's lenient
// unmarshaller reads it (supervisor/xmlrpc.py supervisor_xmlrpc_handler.loads),
// and answers serialized as Python's xmlrpc.client.dumps writes them. Parsing
// is fast-xml-parser's, behind three guards: no DOCTYPE or entity
// declarations (billion laughs, external entities), a well-formedness check
// (the parser alone accepts mismatched tags) and a nesting limit.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// What a parameter or a result can be. Integers go out as <int> (capped to 32
// bits, the XML-RPC int: Telegraf and Python refuse more), other numbers as
// <double>.
export type XmlRpcValue = string | number | boolean | null | XmlRpcValue[] | { [key: string]: XmlRpcValue };

export interface MethodCall {
  method: string;
  params: XmlRpcValue[];
}

// A body that is not an XML-RPC call: supervisord answers HTTP 400.
export class MalformedCallError extends Error {}

export const MAX_NESTING = 64;
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

type Node = { [tag: string]: Node[] | string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  // Entities are decoded below, only the five predefined ones and character
  // references: nothing a document could declare.
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  maxNestedTags: MAX_NESTING,
});

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new MalformedCallError('a bare & in text');
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code >= 1 && code <= 0x10ffff)) throw new MalformedCallError(`invalid character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[ref];
    if (named === undefined) throw new MalformedCallError(`undefined entity ${whole}`);
    return named;
  });
}

function tagOf(node: Node): string {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return '';
}

function childrenOf(node: Node): Node[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? value : [];
}

function elements(nodes: Node[]): Node[] {
  return nodes.filter((node) => {
    const tag = tagOf(node);
    return tag !== '#text' && tag !== '#cdata';
  });
}

// The text directly inside an element (text and CDATA, in order).
function textOf(node: Node): string {
  let text = '';
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === '#text') text += decodeEntities(String(child['#text']));
    else if (tag === '#cdata') text += childrenOf(child).map((part) => String(part['#text'] ?? '')).join('');
  }
  return text;
}

function parseInteger(text: string, tag: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw new MalformedCallError(`<${tag}> holds ${JSON.stringify(text.slice(0, 40))}, not an integer`);
  return Number(trimmed);
}

// supervisord's unmarshallers; a tag it does not know yields its text.
function typedValue(node: Node): XmlRpcValue {
  const tag = tagOf(node);
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8':
      return parseInteger(textOf(node), tag);
    case 'boolean':
      return textOf(node).trim() === '1';
    case 'string':
      return textOf(node);
    case 'double': {
      const number = Number(textOf(node).trim());
      if (Number.isNaN(number)) throw new MalformedCallError('<double> holds no number');
      return number;
    }
    case 'base64':
      return Buffer.from(textOf(node), 'base64').toString('utf8');
    case 'nil':
      return null;
    case 'array': {
      const data = elements(childrenOf(node))[0];
      return data ? elements(childrenOf(data)).map(valueOf) : [];
    }
    case 'struct': {
      const struct: { [key: string]: XmlRpcValue } = {};
      for (const member of elements(childrenOf(node))) {
        let name = '';
        let value: XmlRpcValue = '';
        for (const part of elements(childrenOf(member))) {
          if (tagOf(part) === 'name') name = textOf(part);
          else if (tagOf(part) === 'value') value = valueOf(part);
        }
        struct[name] = value;
      }
      return struct;
    }
    default:
      return textOf(node);
  }
}

// A <value>: its typed child, or its text (an untyped value is a string).
function valueOf(node: Node): XmlRpcValue {
  const typed = elements(childrenOf(node))[0];
  return typed ? typedValue(typed) : textOf(node);
}

// Parses a request body. Throws MalformedCallError for anything supervisord
// would answer with HTTP 400 (including a missing method name).
export function parseCall(body: string): MethodCall {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new MalformedCallError('DOCTYPE and entity declarations are not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new MalformedCallError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let tree: Node[];
  try {
    tree = parser.parse(body) as Node[];
  } catch (error) {
    throw new MalformedCallError(`unparseable XML: ${(error as Error).message}`);
  }
  const root = elements(tree)[0];
  if (!root) throw new MalformedCallError('no root element');
  let method = '';
  let params: XmlRpcValue[] = [];
  for (const child of elements(childrenOf(root))) {
    const tag = tagOf(child);
    if (tag === 'methodName') method = textOf(child).trim();
    // Each <param>'s first element (its <value>), as supervisord takes it.
    else if (tag === 'params') params = elements(childrenOf(child)).map((param) => {
      const value = elements(childrenOf(param))[0];
      return value ? valueOf(value) : textOf(param);
    });
  }
  if (method === '') throw new MalformedCallError('no <methodName>');
  return { method, params };
}

// Python's xmlrpc.client escape() (& < >), plus: carriage returns as a
// character reference, since an XML parser turns a raw \r\n into \n; and the
// control characters XML 1.0 forbids (ANSI colour codes in program output) as
// U+FFFD, since a client's parser would refuse the whole answer otherwise.
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '\ufffd');
}

function serializeValue(value: XmlRpcValue, out: string[], depth = 0): void {
  if (depth > MAX_NESTING) throw new RangeError('XML-RPC value nested too deeply');
  if (typeof value === 'string') out.push(`<value><string>${escapeText(value)}</string></value>`);
  else if (typeof value === 'boolean') out.push(`<value><boolean>${value ? 1 : 0}</boolean></value>`);
  else if (typeof value === 'number') {
    if (Number.isInteger(value)) out.push(`<value><int>${Math.min(INT_MAX, Math.max(INT_MIN, value))}</int></value>`);
    else out.push(`<value><double>${Number.isFinite(value) ? value : 0}</double></value>`);
  } else if (value === null) out.push('<value><nil/></value>');
  else if (Array.isArray(value)) {
    out.push('<value><array><data>\n');
    for (const item of value) {
      serializeValue(item, out, depth + 1);
      out.push('\n');
    }
    out.push('</data></array></value>');
  } else {
    out.push('<value><struct>\n');
    for (const [key, item] of Object.entries(value)) {
      out.push(`<member>\n<name>${escapeText(key)}</name>\n`);
      serializeValue(item, out, depth + 1);
      out.push('\n</member>\n');
    }
    out.push('</struct></value>');
  }
}

export function serializeValueText(value: XmlRpcValue): string {
  const out: string[] = [];
  serializeValue(value, out);
  return out.join('');
}

// A successful answer, laid out as Python's dumps(methodresponse=True).
export function serializeResponse(value: XmlRpcValue): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${serializeValueText(value)}\n</param>\n</params>\n</methodResponse>\n`;
}

export function serializeFault(code: number, text: string): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${serializeValueText({ faultCode: code, faultString: text })}\n</fault>\n</methodResponse>\n`;
}
