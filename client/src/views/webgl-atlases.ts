// How Cytoscape's WebGL renderer packs label and node textures: square atlases of rows, each texture
// scaled to fill its row's height, the rows touching. Its textures are mipmapped, and a mip level averages
// blocks of 2, 4, 8… pixels: a row whose height is not a power of two shares blocks with the next one, and
// at small zoom a label showed a sliver of the texture below it (a box's dashed border, under a label).
// Rows of a power-of-two height never share a block with another row at any level.

/**
 * Atlases of 1024 px rather than Cytoscape's 2048: Cytoscape uploads a whole atlas again whenever a texture
 * is added to it, and a smaller atlas is a quarter of the bytes (less than half in all, measured with
 * `bench:explorer --gl-calls`; docs/benchmarks.md). Rows of 64 px for labels and 128 px for node bodies.
 */
export const WEBGL_ATLASES = { webglTexSize: 1024, webglTexRows: 16, webglTexRowsNodes: 8 } as const;
