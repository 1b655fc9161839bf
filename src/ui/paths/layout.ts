import type { PathLink, PathNode, Paths } from '../../graph';

/** A node placed: its column's left edge, its top, its height (by count), px. */
export interface PlacedNode {
  readonly node: PathNode;
  readonly x: number;
  readonly y: number;
  readonly height: number;
}

/** A link placed: a band from its source's right edge to its target's left edge. */
export interface PlacedLink {
  readonly link: PathLink;
  /** The band's centre line (an SVG path) and its thickness (by count), px. */
  readonly d: string;
  readonly width: number;
}

export interface SankeyLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly links: readonly PlacedLink[];
}

/** A column's width, with room for its labels: the Sankey scrolls sideways past the view's. */
export const COLUMN = 220;
export const NODE_WIDTH = 12;
const GAP = 14;
const PAD = 24;
/** The tallest column's height, px: every count is drawn to its scale. */
const SCALE_HEIGHT = 320;
const MIN_NODE = 2;

const keyOf = (step: number, page: string) => `${step}\u0000${page}`;

/**
 * Where each node and link of `paths` goes: a column per step (the start at the left; paths
 * into an end page have the end at the right), nodes stacked by count, highest first, heights
 * and link thicknesses to one scale (the busiest column's sessions fill SCALE_HEIGHT).
 */
export function layoutSankey(paths: Paths): SankeyLayout {
  const steps = Math.max(0, ...paths.nodes.map((node) => node.step)) + 1;
  const columns = Array.from({ length: steps }, (_, step) =>
    paths.nodes
      .filter((node) => node.step === step)
      .sort((a, b) => b.count - a.count || (a.page < b.page ? -1 : 1)),
  );
  const busiest = Math.max(1, ...columns.map((column) => total(column)));
  const scale = SCALE_HEIGHT / busiest;
  const intoEnd = paths.start === null && paths.end !== null;
  const columnX = (step: number) => PAD + (intoEnd ? steps - 1 - step : step) * COLUMN;

  const placed = new Map<string, PlacedNode>();
  let height = 0;
  for (const [step, column] of columns.entries()) {
    let y = PAD;
    for (const node of column) {
      const nodeHeight = Math.max(MIN_NODE, node.count * scale);
      placed.set(keyOf(step, node.page), { node, x: columnX(step), y, height: nodeHeight });
      y += nodeHeight + GAP;
    }
    height = Math.max(height, y);
  }

  // Each node's links leave (and arrive) stacked in its order, busiest first.
  const outAt = new Map<string, number>();
  const inAt = new Map<string, number>();
  const links: PlacedLink[] = [];
  for (const link of [...paths.links].sort((a, b) => b.count - a.count)) {
    const from = placed.get(keyOf(link.step, link.source));
    const to = placed.get(keyOf(link.step + 1, link.target));
    if (!from || !to) continue; // a link to a node left out (minCount): nothing to draw to
    const width = Math.max(1, link.count * scale);
    const fromKey = keyOf(link.step, link.source);
    const toKey = keyOf(link.step + 1, link.target);
    const y0 = from.y + (outAt.get(fromKey) ?? 0) + width / 2;
    const y1 = to.y + (inAt.get(toKey) ?? 0) + width / 2;
    outAt.set(fromKey, (outAt.get(fromKey) ?? 0) + width);
    inAt.set(toKey, (inAt.get(toKey) ?? 0) + width);
    // Left to right whichever way the steps go.
    const [a, b] = intoEnd
      ? [
          { x: to.x + NODE_WIDTH, y: y1 },
          { x: from.x, y: y0 },
        ]
      : [
          { x: from.x + NODE_WIDTH, y: y0 },
          { x: to.x, y: y1 },
        ];
    const middle = (a.x + b.x) / 2;
    links.push({
      link,
      width,
      d: `M${a.x},${a.y}C${middle},${a.y} ${middle},${b.y} ${b.x},${b.y}`,
    });
  }
  return {
    width: PAD * 2 + (steps - 1) * COLUMN + COLUMN,
    height: height + PAD,
    nodes: [...placed.values()],
    links,
  };
}

const total = (nodes: readonly PathNode[]): number => nodes.reduce((sum, n) => sum + n.count, 0);
