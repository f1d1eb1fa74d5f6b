// The export formats' pure parts: canonical JSON (RFC 8785), CSV cells, XML text, the tar writer and
// reader, diagram grouping and manifest verification, without a store or a server.
import { describe, expect, it } from 'vitest';
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { canonicalJson, canonicalPieces } from '../../server/export/canonical.ts';
import { csvCell } from '../../server/export/csv.ts';
import type { ExportData } from '../../server/export/data.ts';
import { groupForDiagram } from '../../server/export/grouping.ts';
import { jsonExport } from '../../server/export/json.ts';
import { readTar, tarArchive } from '../../server/export/tar.ts';
import { verifyExport } from '../../server/export/verify.ts';
import { xmlText } from '../../server/export/xml.ts';

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
const edge = (source: ResourceNode, target: ResourceNode, name: string, type: string): GraphEdge => ({
  id: `${source.resourceId}-${target.resourceId}`,
  source: source.key,
  target: target.key,
  name,
  type,
  origin: 'config',
  validFrom: '2026-03-01T00:00:00.000Z',
  validTo: null,
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

describe('diagram grouping', () => {
  it('nests account › region › VPC › subnet, and puts multi-subnet resources in the VPC', () => {
    const vpc = node('AWS::EC2::VPC', 'vpc-1');
    const s1 = node('AWS::EC2::Subnet', 'subnet-1');
    const s2 = node('AWS::EC2::Subnet', 'subnet-2');
    const inst = node('AWS::EC2::Instance', 'i-1');
    const lb = node('AWS::ElasticLoadBalancingV2::LoadBalancer', 'lb-1');
    const role = node('AWS::IAM::Role', 'r-1', { awsRegion: 'global', key: '111122223333|global|AWS::IAM::Role|r-1' });
    const groups = groupForDiagram({
      nodes: [vpc, s1, s2, inst, lb, role],
      edges: [
        edge(s1, vpc, 'Is contained in Vpc', 'IS_CONTAINED_IN'),
        edge(s2, vpc, 'Is contained in Vpc', 'IS_CONTAINED_IN'),
        edge(inst, s1, 'Is contained in Subnet', 'IS_CONTAINED_IN'),
        edge(lb, s1, 'Is contained in Subnet', 'IS_CONTAINED_IN'),
        edge(lb, s2, 'Is contained in Subnet', 'IS_CONTAINED_IN'),
      ],
    });
    expect(groups).toHaveLength(1);
    const regions = groups[0]?.groups ?? [];
    expect(regions.map((r) => r.label).sort()).toEqual(['eu-west-1', 'global']);
    const euw1 = regions.find((r) => r.label === 'eu-west-1');
    const vpcGroup = euw1?.groups[0];
    expect(vpcGroup?.kind).toBe('vpc');
    expect(vpcGroup?.members.map((m) => m.resourceId)).toEqual(['lb-1']);
    expect(vpcGroup?.groups.map((g) => g.node?.resourceId)).toEqual(['subnet-1', 'subnet-2']);
    expect(vpcGroup?.groups[0]?.members.map((m) => m.resourceId)).toEqual(['i-1']);
    expect(regions.find((r) => r.label === 'global')?.members.map((m) => m.resourceId)).toEqual(['r-1']);
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
  };
  const file = [...jsonExport(data, { store: 'test', generatedAt: '2026-03-02T00:00:00.000Z' })].join('');
  it('accepts an untouched JSON export and rejects any change to its content', () => {
    expect(verifyExport(Buffer.from(file)).ok).toBe(true);
    expect(verifyExport(Buffer.from(file.replace('i-1', 'i-2'))).ok).toBe(false);
    // Reformatting does not change the canonical content: still verified.
    expect(verifyExport(Buffer.from(JSON.stringify(JSON.parse(file), null, 2))).ok).toBe(true);
    expect(verifyExport(Buffer.from('{"content":')).ok).toBe(false);
    expect(verifyExport(Buffer.from('hello')).ok).toBe(false);
  });
});
