// The SVG export marks a resource that breaks a Config rule (issue 15) in words and by an outline, so the
// mark survives a greyscale print; the explorer sets `nonCompliant` on the nodes it draws.
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { NON_COMPLIANT_LABEL, toSvg, type SvgNode } from '../../client/src/export/svg.ts';
import { NON_COMPLIANT_BADGE } from '../../client/src/graph/compliance-marks.ts';
import { svgOfView } from '../../client/src/views/svg-from-cy.ts';

const resource = (label: string, x: number, extra: Partial<SvgNode> = {}): SvgNode => ({
  label,
  x,
  y: 0,
  width: 40,
  height: 40,
  fill: '#8c4fff',
  group: false,
  ...extra,
});

describe('SVG non-compliant mark', () => {
  it('adds a label line and a dashed outline to non-compliant resources only', () => {
    const svg = toSvg([resource('web-sg', 0, { nonCompliant: true }), resource('db-sg', 100)], [], {
      title: 'view',
      asOf: '2026-03-12 00:00:00 UTC',
      legend: [],
    });
    const groups = svg.split('\n').filter((l) => l.startsWith('<g class="resource">'));
    const web = groups.find((g) => g.includes('>web-sg<'));
    const db = groups.find((g) => g.includes('>db-sg<'));
    expect(web).toContain(`>${NON_COMPLIANT_LABEL}</text>`);
    expect(web).toContain('class="non-compliant"');
    expect(web).toMatch(/class="non-compliant"[^>]*stroke-dasharray/);
    expect(db).not.toContain('non-compliant');
  });

  it('is drawn in the SVG of the view for the nodes the explorer marks, the words said once', () => {
    const resourceNode = (id: string, label: string, extra: { classes?: string; nonCompliant?: string } = {}) => ({
      group: 'nodes' as const,
      data: {
        id,
        label,
        kind: 'resource',
        family: 'network',
        ...(extra.nonCompliant ? { nonCompliant: extra.nonCompliant } : {}),
      },
      classes: `resource ${extra.classes ?? ''}`,
      position: { x: id === 'web' ? 0 : 100, y: 0 },
    });
    const cy = cytoscape({
      headless: true,
      elements: [
        resourceNode('web', `web-sg\n${NON_COMPLIANT_BADGE}`, {
          classes: 'non-compliant',
          nonCompliant: 'restricted-ssh',
        }),
        resourceNode('db', 'db-sg'),
      ],
    });
    const svg = svgOfView(cy, { title: 'view', asOf: '2026-03-12 00:00:00 UTC', legend: [] });
    const groups = svg.split('\n').filter((l) => l.startsWith('<g class="resource">'));
    const web = groups.find((g) => g.includes('>web-sg<'));
    const db = groups.find((g) => g.includes('>db-sg<'));
    expect(web).toMatch(/class="non-compliant"[^>]*stroke-dasharray/);
    expect(web?.split(`>${NON_COMPLIANT_LABEL}</text>`)).toHaveLength(2);
    expect(db).not.toContain('non-compliant');
    // A label without the words (a redacted one) still gets them.
    cy.$id('web').data('label', 'sg-1');
    expect(svgOfView(cy, { title: 'view', asOf: '', legend: [] })).toContain(`>${NON_COMPLIANT_LABEL}</text>`);
  });
});
