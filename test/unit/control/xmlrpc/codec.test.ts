// The XML-RPC codec: requests parsed as supervisord's lenient unmarshaller
// reads them, answers laid out as Python's xmlrpc.client writes them, and
// refusals of what must never be parsed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedCallError, escapeText, parseCall, serializeFault, serializeResponse } from '../../../../src/control/xmlrpc/codec.ts';
import type { XmlRpcValue } from '../../../../src/control/xmlrpc/codec.ts';

const wrap = (params: string, method = 'supervisor.test'): string =>
  `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${params}\n</params>\n</methodCall>\n`;
const param = (value: string): string => `<param>\n<value>${value}</value>\n</param>\n`;

describe('parseCall', () => {
  const cases: [string, string, XmlRpcValue][] = [
    ['a string', '<string>web:web_00</string>', 'web:web_00'],
    ['an empty string', '<string></string>', ''],
    ['a self-closed string', '<string/>', ''],
    ['an untyped value (a string)', 'plain text', 'plain text'],
    ['whitespace kept', '<string>  two  spaces \n</string>', '  two  spaces \n'],
    ['entities and character references', '<string>a &amp; b &lt;c&gt; &quot;&apos; &#10;&#x41;</string>', 'a & b <c> "\' \nA'],
    ['CDATA', '<string><![CDATA[<raw> & bytes]]></string>', '<raw> & bytes'],
    ['an int', '<int>-42</int>', -42],
    ['an i4', '<i4>7</i4>', 7],
    ['a boolean true', '<boolean>1</boolean>', true],
    ['a boolean false', '<boolean>0</boolean>', false],
    ['a double', '<double>1.5</double>', 1.5],
    ['base64', '<base64>aGVsbG8=</base64>', 'hello'],
    ['nil', '<nil/>', null],
    ['an array', '<array><data><value><int>1</int></value><value>x</value></data></array>', [1, 'x']],
    ['an empty array', '<array><data></data></array>', []],
    [
      'a struct',
      '<struct><member><name>methodName</name><value><string>system.listMethods</string></value></member><member><name>params</name><value><array><data/></array></value></member></struct>',
      { methodName: 'system.listMethods', params: [] },
    ],
    ['an unknown type (its text, as supervisord)', '<dateTime.iso8601>20260101T00:00:00</dateTime.iso8601>', '20260101T00:00:00'],
  ];
  for (const [what, xml, expected] of cases) {
    it(what, () => {
      assert.deepEqual(parseCall(wrap(param(xml))), { method: 'supervisor.test', params: [expected] });
    });
  }

  it('takes a call without <params> as one without parameters', () => {
    assert.deepEqual(parseCall('<methodCall><methodName>supervisor.getPID</methodName></methodCall>'), { method: 'supervisor.getPID', params: [] });
  });

  it('keeps parameters in order', () => {
    const parsed = parseCall(wrap(param('<string>a</string>') + param('<int>2</int>') + param('<boolean>1</boolean>')));
    assert.deepEqual(parsed.params, ['a', 2, true]);
  });

  const refused: [string, string][] = [
    ['not XML', 'hello'],
    ['an unclosed element', '<methodCall><methodName>x</methodName>'],
    ['mismatched tags', '<methodCall><methodName>x</params></methodCall>'],
    ['no method name', '<methodCall><params/></methodCall>'],
    ['an empty method name', '<methodCall><methodName> </methodName></methodCall>'],
    ['a DOCTYPE', '<!DOCTYPE methodCall SYSTEM "http://example.com/x.dtd"><methodCall><methodName>x</methodName></methodCall>'],
    ['an entity declaration', '<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>'],
    ['an undefined entity', '<methodCall><methodName>&a;</methodName></methodCall>'],
    ['a bad character reference', '<methodCall><methodName>&#0;</methodName></methodCall>'],
    ['an integer that is not one', wrap(param('<int>12x</int>'))],
    ['nesting past the limit', wrap(param(`${'<array><data><value>'.repeat(100)}x${'</value></data></array>'.repeat(100)}`))],
  ];
  for (const [what, body] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseCall(body), MalformedCallError);
    });
  }
});

describe('serializeResponse / serializeFault', () => {
  it("lays out a response as Python's xmlrpc.client.dumps", () => {
    assert.equal(
      serializeResponse({ name: 'web', pid: 42, ok: true, list: ['a'] }),
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n" +
        '<value><struct>\n<member>\n<name>name</name>\n<value><string>web</string></value>\n</member>\n' +
        '<member>\n<name>pid</name>\n<value><int>42</int></value>\n</member>\n' +
        '<member>\n<name>ok</name>\n<value><boolean>1</boolean></value>\n</member>\n' +
        '<member>\n<name>list</name>\n<value><array><data>\n<value><string>a</string></value>\n</data></array></value>\n</member>\n' +
        '</struct></value>\n</param>\n</params>\n</methodResponse>\n',
    );
  });

  it('lays out a fault', () => {
    assert.equal(
      serializeFault(10, 'BAD_NAME: nosuch'),
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n" +
        '<member>\n<name>faultString</name>\n<value><string>BAD_NAME: nosuch</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n',
    );
  });

  it('caps integers to 32 bits (Telegraf and Python decode <int> as int32)', () => {
    assert.match(serializeResponse(2 ** 40), /<int>2147483647<\/int>/);
    assert.match(serializeResponse(-(2 ** 40)), /<int>-2147483648<\/int>/);
    assert.match(serializeResponse(0.5), /<double>0.5<\/double>/);
  });

  it('escapes text so any XML parser reads back the same string', () => {
    assert.equal(escapeText('a & <b> c\r\n'), 'a &amp; &lt;b&gt; c&#13;\n');
    // Control characters are not allowed in XML 1.0 at all (ANSI colours in logs).
    assert.equal(escapeText('\x1b[31mred\x1b[0m\ttab'), '\ufffd[31mred\ufffd[0m\ttab');
  });

  it('round-trips through the parser', () => {
    const value: XmlRpcValue = { text: 'x & y <z>\n', n: -3, list: [true, false, 'q'], nested: { deep: [[1]] } };
    const body = serializeResponse(value).replace('methodResponse', 'methodCall').replace('</methodResponse>', '</methodCall>');
    const call = body.replace('<methodCall>', '<methodCall><methodName>m</methodName>');
    assert.deepEqual(parseCall(call).params, [value]);
  });
});
