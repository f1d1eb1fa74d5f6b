// Cytoscape's stylesheet: colour and icon per family, groups as labelled boxes, relationship names
// on edges, derived edges dashed, compare marks and path highlights on top.
import type { StylesheetStyle } from 'cytoscape';
import { FAMILIES, FAMILY_COLOURS } from '../graph/family.ts';
import { ICONS } from '../icons.ts';

// Changed is gold, not amber: amber would vanish on the orange compute family.
export const MARK_COLOURS = { added: '#1b7f3b', removed: '#c62828', changed: '#e0a800' } as const;
/** Breaking a Config rule: a thick solid border of this colour, and "⚠ non-compliant" under the name. */
export const NON_COMPLIANT_COLOUR = '#b00020';
const GROUP_FILL = { account: '#f3f4f6', region: '#e8eef8', vpc: '#e6f2ea', az: '#fbf5e6', subnet: '#eef6fb' } as const;

type Rule = { selector: string; style: Record<string, string | number | number[]> };

export function cyStyle(): StylesheetStyle[] {
  const style: Rule[] = [
    {
      selector: 'node.resource',
      style: {
        shape: 'round-rectangle',
        width: 40,
        height: 40,
        'background-color': FAMILY_COLOURS.other,
        'background-image': ICONS.other,
        'background-fit': 'contain',
        'background-clip': 'none',
        'background-width': '70%',
        'background-height': '70%',
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '120px',
        // G15: an id with no space in it (eipalloc-0b4b66cb4884ba2f1) breaks within the 120 px rather than
        // running into its neighbours' labels in a row of resources.
        'text-overflow-wrap': 'anywhere',
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'font-size': 12,
        color: '#1a1a1a',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'border-width': 0,
      },
    },
    ...FAMILIES.map((f) => ({
      selector: `node.family-${f}`,
      style: { 'background-color': FAMILY_COLOURS[f], 'background-image': ICONS[f] },
    })),
    { selector: 'node.root', style: { 'border-width': 4, 'border-color': '#111111', width: 48, height: 48 } },
    // G11: a counted node standing for a box's many resources of one type; its label says how many.
    {
      selector: 'node.fold',
      style: { 'border-width': 5, 'border-style': 'double', 'border-color': '#333333', width: 56, height: 56 },
    },
    { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#555555', 'border-style': 'double' } },
    {
      selector: 'node.placeholder',
      style: { opacity: 0.55, 'border-width': 2, 'border-style': 'dashed', 'border-color': '#333333' },
    },
    {
      selector: 'node.deleted',
      style: { 'background-blacken': 0.45, 'border-width': 2, 'border-style': 'dotted', 'border-color': '#c62828' },
    },
    // T1: existed then, first recorded later: cut corners and a double border (shape, not only colour).
    {
      selector: 'node.first-recorded-later',
      style: { shape: 'cut-rectangle', 'border-width': 4, 'border-style': 'double', 'border-color': '#4a148c' },
    },
    // Non-compliant: a thick solid border no other mark uses, and the label's "⚠ non-compliant" line.
    {
      selector: 'node.resource.non-compliant',
      style: { 'border-width': 5, 'border-style': 'solid', 'border-color': NON_COMPLIANT_COLOUR },
    },
    // Breaking the rule picked: the border doubles and widens, and the label names the rule.
    {
      selector: 'node.resource.breaks-rule',
      style: {
        'border-width': 9,
        'border-style': 'double',
        'border-color': NON_COMPLIANT_COLOUR,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'font-size': 13,
        'font-weight': 'bold',
        color: '#333333',
        'background-opacity': 1,
        'border-width': 1,
        'border-color': '#9aa0a6',
        padding: '10px',
      },
    },
    ...(Object.entries(GROUP_FILL) as [string, string][]).map(([kind, fill]) => ({
      selector: `node.group-${kind}`,
      style: { 'background-color': fill },
    })),
    { selector: 'node.group-account', style: { 'border-width': 2 } },
    { selector: 'node.group-az', style: { 'border-style': 'dashed' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': 'bezier',
        'line-color': '#6b6b6b',
        'target-arrow-color': '#6b6b6b',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        // A connection ends at the resource's label when it comes from below, rather than running
        // through the label's text to the icon (the arrowhead stays in sight).
        'source-endpoint': 'outside-to-node-or-label',
        'target-endpoint': 'outside-to-node-or-label',
        // A twin's two names on two lines (connectionCaption); the layout gives each line room (fcose-layout.ts).
        label: 'data(caption)',
        'text-wrap': 'wrap',
        'font-size': 9,
        // Labels only once they are readable: Cytoscape compares 9px times the zoom rounded up to a power
        // of two with this, so they show above zoom 1. Hover and selection show them at any zoom.
        'min-zoomed-font-size': 10,
        color: '#333333',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.8,
        'text-background-padding': '1px',
      },
    },
    // A reverse twin (SPEC G8): one connection, recorded from both ends.
    { selector: 'edge.twin', style: { 'source-arrow-shape': 'triangle', 'source-arrow-color': '#6b6b6b' } },
    // Containment to the node's own box (SPEC G9), when the user asks for it: present but quiet.
    { selector: 'edge.enclosing', style: { 'line-style': 'dotted', opacity: 0.55 } },
    {
      selector: 'edge.hover, edge.focus',
      style: {
        'min-zoomed-font-size': 0,
        'text-background-opacity': 1,
        // Above the nodes, so the label is not hidden behind the resources it passes.
        'z-compound-depth': 'top',
        'z-index': 20,
        color: '#111111',
      },
    },
    {
      selector: 'edge.derived',
      style: {
        'line-style': 'dashed',
        'line-dash-pattern': [6, 4],
        'line-color': '#8a6d3b',
        'target-arrow-color': '#8a6d3b',
      },
    },
    // Compare marks as a halo (underlay) so they show whatever the node's own colour and border.
    ...(['added', 'removed', 'changed'] as const).map((m) => ({
      selector: `node.resource.diff-${m}`,
      style: {
        'underlay-color': MARK_COLOURS[m],
        'underlay-opacity': 0.85,
        'underlay-padding': 7,
        'underlay-shape': 'round-rectangle',
      },
    })),
    { selector: 'node.resource.diff-removed', style: { opacity: 0.8 } },
    {
      selector: 'edge.diff-added',
      style: { 'line-color': MARK_COLOURS.added, 'target-arrow-color': MARK_COLOURS.added, width: 3 },
    },
    {
      selector: 'edge.diff-removed',
      style: { 'line-color': MARK_COLOURS.removed, 'target-arrow-color': MARK_COLOURS.removed, width: 3 },
    },
    {
      selector: 'node.resource.on-path',
      style: { 'overlay-color': '#ffb300', 'overlay-opacity': 0.35, 'overlay-padding': 6 },
    },
    { selector: 'edge.on-path', style: { 'line-color': '#ff8f00', 'target-arrow-color': '#ff8f00', width: 4 } },
    {
      selector: 'node.resource:selected',
      style: { 'overlay-color': '#1a73e8', 'overlay-opacity': 0.3, 'overlay-padding': 6 },
    },
    { selector: 'edge:selected', style: { 'line-color': '#1a73e8', 'target-arrow-color': '#1a73e8', width: 3 } },
  ];
  // The typings lag behind Cytoscape's properties (line-dash-pattern, background-blacken...).
  return style;
}
