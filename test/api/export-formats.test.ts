// The export formats' pure parts: canonical JSON (RFC 8785), CSV cells, XML text, the tar writer and
// reader, the draw.io diagram and manifest verification, without a store or a server.
import { describe, expect, it } from 'vitest';
import type { ResourceNode } from '../../graph/model.ts';
import { canonicalJson, canonicalPieces } from '../../graph/canonical.ts';
import { csvCell } from '../../server/export/csv.ts';
import type { ExportData } from '../../server/export/data.ts';
import { drawioExport } from '../../server/export/drawio.ts';
import { graphmlExport } from '../../server/export/graphml.ts';
import { jsonExport } from '../../server/export/json.ts';
import { readTar, tarArchive } from '../../server/export/tar.ts';
import { verifyExport } from '../../server/export/verify.ts';
import { xmlText } from '../../server/export/xml.ts';
import { bothEndsItems, graphOfItems, REAL, realKey } from '../support/both-ends.ts';

async function joined(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

const node = (type: string, id: string, extra: Partial<ResourceNode> = {}): ResourceNode => ({
  key: `111122223333|eu-west-1|${type}|${id}`,
  accountId: '111122223333',
  awsRegion: 'eu-west-1',
  resourceType: type,
  resourceId: id,
  status: 'OK',
  recorded: true,
  tags: {},
  ...extra,
});

describe('canonical JSON', () => {
  it('matches the RFC 8785 example', () => {
    // The input and expected output of RFC 8785 section 3.2.2/3.2.3.
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });
  it('sorts keys at every depth, drops undefined members and writes the same text in pieces', () => {
    const value = { b: [3, { z: 1, a: undefined, m: [undefined] }], a: { y: 'é', x: null } };
    expect(canonicalJson(value)).toBe('{"a":{"x":null,"y":"é"},"b":[3,{"m":[null],"z":1}]}');
    expect([...canonicalPieces(value, 2)].join('')).toBe(canonicalJson(value));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
  });
});

describe('CSV cells and XML text', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\r\nbye')).toBe('"say ""hi""\r\nbye"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ b: '1', a: '2' })).toBe('"{""a"":""2"",""b"":""1""}"');
  });
  it('escapes markup and replaces characters XML cannot carry', () => {
    expect(xmlText('<img src=x onerror="alert(1)">&\'')).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&apos;',
    );
    expect(xmlText('a\u0000b\u001fc\ud800d')).toBe('a\ufffdb\ufffdc\ufffdd');
    expect(xmlText('line\nbreak')).toBe('line&#10;break');
    expect(xmlText('emoji 😀')).toBe('emoji 😀');
  });
});

describe('tar', () => {
  it('round-trips entries of any size with valid header checksums', () => {
    const entries = [
      { name: 'a.txt', content: Buffer.from('hello\n') },
      { name: 'empty', content: new Uint8Array(0) },
      { name: 'big.bin', content: Buffer.alloc(1500, 7) },
    ];
    const bytes = Buffer.concat([...tarArchive(entries, new Date('2026-03-01T00:00:00Z'))]);
    expect(bytes.length % 512).toBe(0);
    const back = readTar(bytes);
    expect(back.map((e) => e.name)).toEqual(['a.txt', 'empty', 'big.bin']);
    expect(Buffer.from(back[2]?.content ?? []).equals(Buffer.alloc(1500, 7))).toBe(true);
    const corrupt = Buffer.from(bytes);
    corrupt[10] = 0x41;
    expect(() => readTar(corrupt)).toThrow(/checksum/);
    expect(() => readTar(bytes.subarray(0, 700))).toThrow(/truncated/);
  });
});

describe('draw.io diagram', () => {
  /** Cells of the diagram: id, parent, key, label and style. */
  function cells(xml: string) {
    const out: { id: string; parent: string; key?: string; label?: string; style: string; edge: boolean }[] = [];
    const re =
      /<object id="(c\d+)"([^>]*)><mxCell style="([^"]*)" vertex="1" parent="(c\d+|1)"|<mxCell id="(c\d+)"[^>]* style="([^"]*)" edge="1"/g;
    for (const m of xml.matchAll(re)) {
      if (m[1]) {
        const key = /key="([^"]*)"/.exec(m[2] ?? '')?.[1];
        const label = /label="([^"]*)"/.exec(m[2] ?? '')?.[1];
        out.push({
          id: m[1],
          parent: m[4]!,
          style: m[3]!,
          edge: false,
          ...(key ? { key } : {}),
          ...(label ? { label } : {}),
        });
      } else out.push({ id: m[5]!, parent: '1', style: m[6]!, edge: true });
    }
    return out;
  }
  const world = graphOfItems(bothEndsItems());
  const xml = [
    ...drawioExport({ at: '2016-11-02T00:00:00.000Z', scope: null, neighborhood: null, compliance: [], ...world }),
  ].join('');
  const all = cells(xml);
  const byKey = (k: string) => all.find((c) => c.key === k);
  const byId = (id: string) => all.find((c) => c.id === id);
  const chain = (k: string) => {
    const out: string[] = [];
    let c = byKey(k);
    while (c && c.parent !== '1') {
      c = byId(c.parent);
      if (c) out.push(c.label ?? '');
    }
    return out;
  };

  it('G1 G3: nests VPC › zone › subnet like the explorer; the VPC is never inside its subnet', () => {
    const vpcKey = realKey('AWS::EC2::VPC', REAL.vpc);
    const subnetKey = realKey('AWS::EC2::Subnet', REAL.subnet);
    expect(chain(subnetKey)).toEqual(['us-east-1a', `VPC ${REAL.vpc}`, REAL.region, `Account ${REAL.account}`]);
    expect(chain(vpcKey)).toEqual([REAL.region, `Account ${REAL.account}`]);
    expect(chain(realKey('AWS::EC2::Instance', REAL.instance))[0]).toBe(`Subnet ${REAL.subnet}`);
    // G6: the volume sits with the instance it is attached to, in the VPC, not at region level.
    expect(chain(realKey('AWS::EC2::Volume', REAL.volume)).slice(0, 2)).toEqual(['us-east-1c', `VPC ${REAL.vpc}`]);
    // G4: the route table at VPC level.
    expect(chain(realKey('AWS::EC2::RouteTable', REAL.routeTable))[0]).toBe(`VPC ${REAL.vpc}`);
  });

  it('draws resources with the shipped icon and their family colour; EC2 types are not one colour', () => {
    const style = (type: string, id: string) => byKey(realKey(type, id))?.style ?? '';
    const instance = style('AWS::EC2::Instance', REAL.instance);
    const volume = style('AWS::EC2::Volume', REAL.volume);
    const eni = style('AWS::EC2::NetworkInterface', REAL.eni);
    for (const s of [instance, volume, eni]) expect(s).toMatch(/image=data:image\/svg\+xml,[A-Za-z0-9+/=]+;/);
    const fill = (s: string) => /fillColor=(#[0-9A-F]{6})/i.exec(s)?.[1];
    expect(new Set([fill(instance), fill(volume), fill(eni)]).size).toBe(3);
    const icon = Buffer.from(/image=data:image\/svg\+xml,([^;]+);/.exec(instance)![1]!, 'base64').toString('utf8');
    expect(icon).toContain('<title>compute</title>');
    expect(xml).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('G8 G9: one edge per reverse twin with both names and arrowheads; none to a resource’s own container', () => {
    const edges = [
      ...xml.matchAll(
        /<mxCell id="c\d+" value="([^"]*)" style="([^"]*)" edge="1" parent="1" source="(c\d+)" target="(c\d+)"/g,
      ),
    ];
    const pairs = edges.map((m) => [m[3], m[4]].sort().join());
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(edges.every((m) => m[2]!.includes('endArrow=block'))).toBe(true);
    const acl = edges.find((m) => /Is attached to NetworkAcl/.test(m[1]!) || /Is attached to Subnet/.test(m[1]!));
    expect(acl?.[2]).toContain('startArrow=block');
    const subnetCell = byKey(realKey('AWS::EC2::Subnet', REAL.subnet))!.id;
    const inst = byKey(realKey('AWS::EC2::Instance', REAL.instance))!.id;
    expect(pairs).not.toContain([inst, subnetCell].sort().join());
  });
});

describe('JSON export of streamed edges', () => {
  it('writes the bytes of the same export with its edges in memory, whatever the pages', async () => {
    const { nodes, edges } = graphOfItems(bothEndsItems());
    expect(edges.length).toBeGreaterThan(3);
    const base = {
      at: '2026-03-01T00:00:00.000Z',
      scope: { awsRegion: 'eu-west-1' },
      neighborhood: null,
      nodes,
      compliance: [
        { resource: nodes[0]!.key, rule: 'r', status: 'NON_COMPLIANT' as const, since: '2026-02-01T00:00:00.000Z' },
      ],
    };
    const ctx = { store: 'test', generatedAt: '2026-03-02T00:00:00.000Z' };
    const inMemory = await joined(jsonExport({ ...base, edges, versions: [] }, ctx));
    async function* pages(size: number) {
      for (let i = 0; i < edges.length; i += size) yield edges.slice(i, i + size);
    }
    for (const size of [1, 2, edges.length])
      expect(await joined(jsonExport({ ...base, edges: pages(size), versions: [] }, ctx))).toBe(inMemory);
    // No edges at all, and no pages: the same bytes too.
    const none = await joined(jsonExport({ ...base, edges: [], versions: [] }, ctx));
    async function* noPages(): AsyncGenerator<typeof edges> {}
    expect(await joined(jsonExport({ ...base, edges: noPages(), versions: [] }, ctx))).toBe(none);
    expect(JSON.parse(inMemory).manifest.counts.edges).toBe(edges.length);
    expect(verifyExport(Buffer.from(inMemory)).ok).toBe(true);
  });

  it('writes the GraphML of the same export with its edges in memory', async () => {
    const { nodes, edges } = graphOfItems(bothEndsItems());
    const base = { at: '2026-03-01T00:00:00.000Z', scope: null, neighborhood: null, nodes, compliance: [] };
    const inMemory = await joined(graphmlExport({ ...base, edges }));
    expect(inMemory.split('<edge ').length - 1).toBeGreaterThan(3);
    async function* pages(size: number) {
      for (let i = 0; i < edges.length; i += size) yield edges.slice(i, i + size);
    }
    for (const size of [1, 3, edges.length])
      expect(await joined(graphmlExport({ ...base, edges: pages(size) }))).toBe(inMemory);
  });
});

describe('manifest verification', () => {
  const data: ExportData = {
    at: '2026-03-01T00:00:00.000Z',
    scope: null,
    neighborhood: null,
    nodes: [node('AWS::EC2::Instance', 'i-1', { tags: { Name: '<b>x</b>' } })],
    edges: [],
    versions: [],
    compliance: [],
  };
  it('accepts an untouched JSON export and rejects any change to its content', async () => {
    const file = await joined(jsonExport(data, { store: 'test', generatedAt: '2026-03-02T00:00:00.000Z' }));
    expect(verifyExport(Buffer.from(file)).ok).toBe(true);
    expect(verifyExport(Buffer.from(file.replace('i-1', 'i-2'))).ok).toBe(false);
    // Reformatting does not change the canonical content: still verified.
    expect(verifyExport(Buffer.from(JSON.stringify(JSON.parse(file), null, 2))).ok).toBe(true);
    expect(verifyExport(Buffer.from('{"content":')).ok).toBe(false);
    expect(verifyExport(Buffer.from('hello')).ok).toBe(false);
  });
});
