/**
 * Turns a mask of raster cells into polygons: the exact union of the selected cells, traced along
 * cell edges (so areas are whole cells, nothing is smoothed or interpolated).
 *
 * Cells are 4-connected: two cells that touch only at a corner become two polygons meeting at
 * that point. Rings follow RFC 7946 (exterior counter-clockwise, holes clockwise, y up), carry
 * only corner vertices, and never touch themselves: a ring that would pass a vertex twice is cut
 * there, so a hole may touch its exterior at a single point, as OGC simple features allow.
 */

/** A grid of `cols` × `rows` cells; cell (c, r) is mask[r * cols + c], row 0 at the bottom (south). */
export interface CellMask {
  cols: number;
  rows: number;
  mask: Uint8Array;
}

/** Polygons in grid-vertex coordinates: vertex (i, j) is the lower-left corner of cell (i, j). */
export type GridPolygon = Array<Array<[number, number]>>;

// Directions of boundary edges: 0 east, 1 north, 2 west, 3 south.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

export function traceCells({ cols, rows, mask }: CellMask): GridPolygon[] {
  const at = (c: number, r: number): boolean => c >= 0 && r >= 0 && c < cols && r < rows && mask[r * cols + c] === 1;
  const vcols = cols + 1;
  // Outgoing boundary edges per vertex as a 4-bit set of directions; the inside is on the left.
  const out = new Uint8Array(vcols * (rows + 1));
  const v = (i: number, j: number): number => j * vcols + i;
  let edges = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (mask[r * cols + c] !== 1) continue;
      if (!at(c, r - 1)) (out[v(c, r)] |= 1 << 0), edges++;
      if (!at(c + 1, r)) (out[v(c + 1, r)] |= 1 << 1), edges++;
      if (!at(c, r + 1)) (out[v(c + 1, r + 1)] |= 1 << 2), edges++;
      if (!at(c - 1, r)) (out[v(c, r + 1)] |= 1 << 3), edges++;
    }
  }
  if (edges === 0) return [];

  const rings: Array<{ pts: Array<[number, number]>; cell: number; area: number }> = [];
  const seenAt = new Int32Array(out.length).fill(-1); // position of a vertex in the open path
  const path: number[] = [];
  const dirs: number[] = [];
  for (let start = 0; start < out.length; start++) {
    while (out[start] !== 0) {
      // Trace one closed walk, cutting it wherever it returns to a vertex it has already visited.
      let vert = start;
      let dir = 31 - Math.clz32(out[start] & -out[start]);
      for (;;) {
        const k = seenAt[vert];
        if (k >= 0) {
          emit(path.slice(k), dirs.slice(k));
          for (let q = k; q < path.length; q++) seenAt[path[q]] = -1;
          path.length = k;
          dirs.length = k;
        }
        if (out[vert] === 0) break;
        seenAt[vert] = path.length;
        path.push(vert);
        dirs.push(dir);
        out[vert] &= ~(1 << dir);
        vert += DX[dir] + DY[dir] * vcols;
        const options = out[vert];
        if (options === 0) continue;
        // At a saddle (two ways out) turn left, which keeps corner-touching cells apart.
        const left = (dir + 1) & 3;
        const right = (dir + 3) & 3;
        dir = options & (1 << left) ? left : options & (1 << dir) ? dir : right;
      }
    }
  }

  function emit(verts: number[], ds: number[]): void {
    const pts: Array<[number, number]> = [];
    for (let k = 0; k < verts.length; k++) {
      if (ds[k] !== ds[(k + ds.length - 1) % ds.length]) pts.push([verts[k] % vcols, Math.floor(verts[k] / vcols)]);
    }
    pts.push(pts[0]);
    let area = 0;
    for (let k = 0; k + 1 < pts.length; k++) area += pts[k][0] * pts[k + 1][1] - pts[k + 1][0] * pts[k][1];
    // The cell on the left of the first edge belongs to the polygon this ring bounds.
    const [i, j] = [verts[0] % vcols, Math.floor(verts[0] / vcols)];
    const d = ds[0];
    const c = d === 0 ? i : d === 1 ? i - 1 : d === 2 ? i - 1 : i;
    const r = d === 0 ? j : d === 1 ? j : d === 2 ? j - 1 : j - 1;
    rings.push({ pts, cell: r * cols + c, area: area / 2 });
  }

  // Holes go to the exterior of the same 4-connected patch of cells.
  const patch = new Int32Array(cols * rows).fill(-1);
  let patches = 0;
  const stack = new Int32Array(cols * rows);
  for (let k = 0; k < mask.length; k++) {
    if (mask[k] !== 1 || patch[k] >= 0) continue;
    patch[k] = patches;
    let top = 0;
    stack[top++] = k;
    while (top > 0) {
      const q = stack[--top];
      const c = q % cols;
      if (c + 1 < cols && mask[q + 1] === 1 && patch[q + 1] < 0) (patch[q + 1] = patches), (stack[top++] = q + 1);
      if (c > 0 && mask[q - 1] === 1 && patch[q - 1] < 0) (patch[q - 1] = patches), (stack[top++] = q - 1);
      if (q + cols < mask.length && mask[q + cols] === 1 && patch[q + cols] < 0) (patch[q + cols] = patches), (stack[top++] = q + cols);
      if (q >= cols && mask[q - cols] === 1 && patch[q - cols] < 0) (patch[q - cols] = patches), (stack[top++] = q - cols);
    }
    patches++;
  }
  const exteriors = rings.filter((ring) => ring.area > 0);
  const byPatch = new Map<number, GridPolygon[]>();
  const polygons: GridPolygon[] = exteriors.map((ring) => {
    const poly: GridPolygon = [ring.pts];
    const p = patch[ring.cell];
    byPatch.set(p, [...(byPatch.get(p) ?? []), poly]);
    return poly;
  });
  for (const hole of rings.filter((ring) => ring.area < 0)) {
    const candidates = byPatch.get(patch[hole.cell]) ?? [];
    const c = hole.cell % cols;
    const r = Math.floor(hole.cell / cols);
    const owner = candidates.length === 1 ? candidates[0] : candidates.find((poly) => inRing(poly[0], c + 0.5, r + 0.5));
    owner?.push(hole.pts);
  }
  return polygons;
}

function inRing(ring: Array<[number, number]>, x: number, y: number): boolean {
  let inside = false;
  for (let k = 0, j = ring.length - 1; k < ring.length; j = k++) {
    const [xa, ya] = ring[j];
    const [xb, yb] = ring[k];
    if (ya > y !== yb > y && x < xa + ((y - ya) / (yb - ya)) * (xb - xa)) inside = !inside;
  }
  return inside;
}
