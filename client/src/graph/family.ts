// Resource families live in graph/family.ts (the draw.io export colours by them too).
export * from '../../../graph/family.ts';
