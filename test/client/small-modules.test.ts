import { describe, expect, it } from 'vitest';
import { consoleUrl } from '../../client/src/console-link.ts';
import { safeUrl } from '../../client/src/dom.ts';
import { escapeXml, toSvg } from '../../client/src/export/svg.ts';
import { familyOf } from '../../client/src/graph/family.ts';
import { identityOfKey } from '../../client/src/graph/keys.ts';
import { readRecent, rememberRecent, RECENT_LIMIT, type KeyValueStore } from '../../client/src/recent.ts';
import { formatTime } from '../../client/src/time/format.ts';
import {
  adjacentMoment,
  SLIDER_STEPS,
  sliderToTime,
  timeRange,
  timeToSlider,
} from '../../client/src/time/time-range.ts';

describe('families', () => {
  it('classifies common types and falls back to other', () => {
    expect(familyOf('AWS::EC2::Instance')).toBe('compute');
    expect(familyOf('AWS::EC2::VPC')).toBe('network');
    expect(familyOf('AWS::EC2::Volume')).toBe('storage');
    expect(familyOf('AWS::RDS::DBInstance')).toBe('database');
    expect(familyOf('AWS::IAM::Role')).toBe('identity');
    expect(familyOf('AWS::Lambda::Function')).toBe('serverless');
    expect(familyOf('AWS::EC2::INSTANCE')).toBe('compute');
    expect(familyOf('Custom::Thing')).toBe('other');
  });
});

describe('keys', () => {
  it('split into identities, ids may be ARNs', () => {
    expect(
      identityOfKey(
        '1|us-east-1|AWS::ElasticLoadBalancingV2::LoadBalancer|arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1',
      ),
    ).toEqual({
      accountId: '1',
      awsRegion: 'us-east-1',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      resourceId: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1',
    });
    expect(identityOfKey('nonsense')).toBeUndefined();
  });
});

describe('console links', () => {
  it('point at the resource’s page, and at Config for other types', () => {
    expect(consoleUrl({ awsRegion: 'eu-west-1', resourceType: 'AWS::EC2::Instance', resourceId: 'i-1' })).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-1',
    );
    expect(consoleUrl({ awsRegion: 'global', resourceType: 'AWS::IAM::Role', resourceId: 'AROA1' })).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/config\/home\?region=us-east-1#\/resources\/details\?resourceId=AROA1&resourceType=AWS%3A%3AIAM%3A%3ARole$/,
    );
  });

  it('open the page of each common type, S3 on its own global console', () => {
    const url = (resourceType: string, resourceId = 'x-1') =>
      consoleUrl({ awsRegion: 'eu-west-1', resourceType, resourceId });
    const regional = 'https://eu-west-1.console.aws.amazon.com';
    expect(url('AWS::EC2::Volume')).toBe(`${regional}/ec2/home?region=eu-west-1#VolumeDetails:volumeId=x-1`);
    expect(url('AWS::EC2::SecurityGroup')).toBe(`${regional}/ec2/home?region=eu-west-1#SecurityGroup:groupId=x-1`);
    expect(url('AWS::EC2::NetworkInterface')).toBe(
      `${regional}/ec2/home?region=eu-west-1#NetworkInterface:networkInterfaceId=x-1`,
    );
    expect(url('AWS::EC2::VPC')).toBe(`${regional}/vpcconsole/home?region=eu-west-1#VpcDetails:VpcId=x-1`);
    expect(url('AWS::EC2::Subnet')).toBe(`${regional}/vpcconsole/home?region=eu-west-1#SubnetDetails:subnetId=x-1`);
    expect(url('AWS::Lambda::Function', 'fn/{r}')).toBe(
      `${regional}/lambda/home?region=eu-west-1#/functions/fn%2F%7Br%7D`,
    );
    expect(url('AWS::S3::Bucket', 'my-bucket')).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1',
    );
  });

  it('cannot be steered by hostile ids or regions', () => {
    const url = consoleUrl({
      awsRegion: 'evil.com/x',
      resourceType: 'AWS::EC2::Instance',
      resourceId: '"><script>alert(1)</script>&x=',
    });
    expect(url.startsWith('https://us-east-1.console.aws.amazon.com/')).toBe(true);
    expect(url).not.toMatch(/[<>"]/);
    expect(safeUrl(url)).toBe(true);
  });
});

describe('safe URLs for attributes', () => {
  it('allows https, same-origin paths, fragments and blobs; refuses script and protocol-relative URLs', () => {
    for (const ok of ['https://x', '/assets/a.svg', '#panel', '?r=1', 'blob:http://127.0.0.1/abc'])
      expect(safeUrl(ok), ok).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      '//evil.com/x',
      'data:text/html,<script>',
      'http://plain',
      ' javascript:x',
    ])
      expect(safeUrl(bad), bad).toBe(false);
  });
});

describe('SVG export', () => {
  it('escapes labels and drops characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    const svg = toSvg(
      [
        { label: 'Account 1', x: 0, y: 0, width: 300, height: 200, fill: '#eee', group: true },
        {
          label: '<img src=x onerror=alert(1)>\nEC2 Instance\u0007',
          x: 0,
          y: 0,
          width: 40,
          height: 40,
          fill: '#c25700',
          group: false,
        },
        { label: 'gone', x: 80, y: 0, width: 40, height: 40, fill: '#2e7d32', group: false, stroke: '#c62828' },
      ],
      [{ x1: 0, y1: 0, x2: 50, y2: 50, label: 'Is attached to Volume', dashed: true }],
      { title: 'view <1>', asOf: '2026-03-01 00:00:00 UTC', legend: [] },
    );
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).not.toContain('\u0007');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('stroke="#c62828" stroke-width="4"');
    expect(svg).toContain('<title>view &lt;1&gt;</title>');
    expect(svg.startsWith('<?xml')).toBe(true);
  });

  it('draws arrowheads (both ends for a reverse twin), the shipped icons, the "as of" time and a legend', () => {
    const icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><title>compute</title></svg>';
    const svg = toSvg(
      [
        { label: 'web', x: 0, y: 0, width: 40, height: 40, fill: '#c25700', group: false, family: 'compute' },
        { label: 'eni', x: 200, y: 0, width: 40, height: 40, fill: '#6b3fa0', group: false, family: 'network' },
      ],
      [
        {
          ...{ x1: 0, y1: 0, x2: 200, y2: 0, label: 'Is attached to Instance / Contains NetworkInterface' },
          ...{ dashed: false, both: true, sourceHalf: { w: 20, h: 20 }, targetHalf: { w: 20, h: 20 } },
        },
      ],
      {
        title: 'web',
        asOf: '2026-03-01 12:00:00 UTC',
        legend: [
          { kind: 'family', family: 'compute', colour: '#c25700', label: 'Compute' },
          { kind: 'both-ends', label: 'Recorded from both ends' },
        ],
        icons: { compute: icon },
      },
    );
    expect(svg).toMatch(/<marker id="arrow-555555" class="arrowhead"[^>]*orient="auto-start-reverse"><path/);
    // The line stops at the boxes' edges, so both arrowheads show.
    expect(svg).toMatch(
      /<line x1="20" y1="0" x2="180" y2="0"[^>]*marker-end="url\(#arrow-555555\)" marker-start="url\(#arrow-555555\)"/,
    );
    expect(svg).toContain('<symbol id="icon-compute" viewBox="0 0 48 48"><svg');
    expect(svg).toContain('<use href="#icon-compute" class="icon"');
    // No icon for a family that was not supplied; nothing is loaded from elsewhere.
    expect(svg.match(/class="icon"/g)).toHaveLength(1);
    expect(svg).toContain('<text class="as-of" x="');
    expect(svg).toContain('As of 2026-03-01 12:00:00 UTC');
    expect(svg).toMatch(/<g class="legend">.*Compute.*Recorded from both ends/s);
    expect(svg).not.toMatch(/href="https?:/);
  });

  it('G8: draws a connection’s caption as the explorer does: along its line, upright, a twin’s names on two lines', () => {
    const box = { sourceHalf: { w: 20, h: 20 }, targetHalf: { w: 20, h: 20 }, dashed: false };
    const svg = toSvg(
      [
        { label: 'web', x: 100, y: 100, width: 40, height: 40, fill: '#c25700', group: false },
        { label: 'eni', x: 0, y: 0, width: 40, height: 40, fill: '#6b3fa0', group: false },
        { label: 'vol', x: 100, y: 300, width: 40, height: 40, fill: '#2e7d32', group: false },
      ],
      [
        // From the lower right up to the upper left: the text still reads left to right (rotated 45°, not 225°).
        {
          x1: 100,
          y1: 100,
          x2: 0,
          y2: 0,
          label: 'Is attached to Instance /\nContains NetworkInterface',
          both: true,
          ...box,
        },
        { x1: 100, y1: 100, x2: 100, y2: 300, label: 'Is attached to Volume', ...box },
      ],
      { title: 'web', asOf: '2026-03-01 12:00:00 UTC', legend: [] },
    );
    const captions = [...svg.matchAll(/<g class="edge"><line[^>]*\/>(<text[^>]*>.*?<\/text>)<\/g>/g)].map((m) => m[1]!);
    expect(captions).toHaveLength(2);
    const [twin, single] = captions as [string, string];
    // Centred on the line's middle, turned with it.
    expect(twin).toMatch(/^<text x="50" y="50" transform="rotate\(45 50 50\)"[^>]*text-anchor="middle"/);
    expect(
      [...twin.matchAll(/<tspan x="50" dy="([-\d.]+)">([^<]*)<\/tspan>/g)].map((m) => [m[2], Number(m[1])]),
    ).toEqual([
      ['Is attached to Instance /', -2.5],
      ['Contains NetworkInterface', 11],
    ]);
    // A vertical line: its caption reads top to bottom, as Cytoscape's autorotate turns it (90°, whichever way
    // the line runs), on one line.
    expect(single).toMatch(/^<text x="100" y="200" transform="rotate\(90 100 200\)"/);
    expect([...single.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1])).toEqual(['Is attached to Volume']);
    // A white halo under the letters stands for the explorer's label background: the line does not cross the text.
    expect(twin).toMatch(/stroke="#ffffff"[^>]*paint-order="stroke"/);
  });
});

describe('recent searches', () => {
  const memory = (): KeyValueStore & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };

  it('keep the newest first, without duplicates, up to the limit', () => {
    const s = memory();
    for (let i = 0; i < RECENT_LIMIT + 3; i++) rememberRecent(s, { ref: `r${i}`, label: `L${i}` });
    rememberRecent(s, { ref: 'r5', label: 'L5' });
    const list = readRecent(s);
    expect(list).toHaveLength(RECENT_LIMIT);
    expect(list[0]).toEqual({ ref: 'r5', label: 'L5' });
    expect(list.filter((e) => e.ref === 'r5')).toHaveLength(1);
  });

  it('survive garbage in storage', () => {
    const s = memory();
    s.data.set('configgraph.recent', '{not json');
    expect(readRecent(s)).toEqual([]);
    s.data.set('configgraph.recent', JSON.stringify([{ ref: 1 }, { ref: 'ok', label: 'fine' }]));
    expect(readRecent(s)).toEqual([{ ref: 'ok', label: 'fine' }]);
  });
});

describe('time slider', () => {
  const times = ['2026-03-02T00:30:00.000Z', '2026-03-05T10:15:00.000Z', '2026-03-09T08:30:00.000Z', 'garbage', null];
  const now = Date.parse('2026-11-28T10:00:00Z');
  const range = timeRange(times, now);

  it('spans the known moments with a margin and ends before the idle months', () => {
    expect(range.moments).toHaveLength(3);
    expect(range.min).toBeLessThan(Date.parse(times[0]!));
    expect(range.max).toBeGreaterThan(Date.parse(times[2]!));
    expect(range.max).toBeLessThan(Date.parse('2026-03-10T00:00:00Z'));
  });

  it('maps slider positions to times and back', () => {
    const t = Date.parse(times[1]!);
    expect(Math.abs(sliderToTime(range, timeToSlider(range, t)) - t)).toBeLessThan(
      (range.max - range.min) / SLIDER_STEPS,
    );
    expect(sliderToTime(range, 0)).toBe(range.min);
    expect(timeToSlider(range, range.max + 1e9)).toBe(SLIDER_STEPS);
  });

  it('steps between change moments', () => {
    const mid = Date.parse('2026-03-06T00:00:00Z');
    expect(adjacentMoment(range, mid, -1)).toBe(Date.parse(times[1]!));
    expect(adjacentMoment(range, mid, 1)).toBe(Date.parse(times[2]!));
    expect(adjacentMoment(range, range.moments[0]!, -1)).toBeUndefined();
  });

  it('formats times in UTC, labelled', () => {
    expect(formatTime('2026-03-05T10:15:00.000Z')).toBe('2026-03-05 10:15:00 UTC');
    expect(formatTime(undefined)).toBe('now');
  });
});

describe('collection status', async () => {
  const { parseCollectionStatus } = await import('../../client/src/collection-status.ts');

  it('reads a running collection with progress', () => {
    const p = parseCollectionStatus({
      collection: {
        state: 'running',
        id: 'c1',
        progress: { phase: 'history', resources: 40, expectedResources: 120, items: 300, throttles: 2, pages: 5 },
      },
    });
    expect(p).toEqual({
      running: true,
      state: 'running',
      done: 40,
      total: 120,
      message: 'history, 300 items, 2 throttled calls',
    });
  });

  it('reads finished, failed and absent collections', () => {
    expect(parseCollectionStatus({ collection: null })).toEqual({ running: false, state: 'idle' });
    expect(parseCollectionStatus({ collection: { state: 'failed', error: 'AccessDenied' } })).toEqual({
      running: false,
      state: 'failed',
      error: 'AccessDenied',
    });
    expect(parseCollectionStatus('nonsense')).toEqual({ running: false, state: 'idle' });
  });
});
