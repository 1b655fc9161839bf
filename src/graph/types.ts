/**
 * A rule of path cleaning (PostHog's): every page matching `pattern` (a RegExp's source, matched
 * against the page URL) is replaced by `replacement` (`$1` refers to groups), e.g.
 * `{ pattern: '/orders/[^/]+$', replacement: '/orders/*' }`. Rules apply in order.
 */
export interface PathRule {
  readonly pattern: string;
  readonly replacement: string;
}

/** What paths are asked for: from a start page, or into an end page (or all, from entries). */
export interface PathsOptions {
  readonly start?: string;
  readonly end?: string;
  readonly clean?: readonly PathRule[];
  /** Links fewer than this many sessions took are left out; default 1. */
  readonly minCount?: number;
  readonly since?: number;
  /** The topic of page views; default `pageviews`. */
  readonly topic?: string;
}

/** A page at one step of the paths (step 0 is the start, or the end for paths into it). */
export interface PathNode {
  readonly step: number;
  readonly page: string;
  /** Sessions at this page at this step. */
  readonly count: number;
  /** Of them, sessions whose path ended here. */
  readonly dropOff: number;
}

/**
 * Sessions that went from `source` at `step` to `target` at `step + 1`. In paths into an end,
 * steps count backwards from it, so there `target` is the page viewed just before `source`.
 */
export interface PathLink {
  readonly step: number;
  readonly source: string;
  readonly target: string;
  readonly count: number;
}

/** A Sankey's data: every step, no cap. */
export interface Paths {
  readonly start: string | null;
  readonly end: string | null;
  /** Sessions counted. */
  readonly sessions: number;
  readonly nodes: readonly PathNode[];
  readonly links: readonly PathLink[];
}

/** A page and its PageRank (normalised: ranks sum to 1). */
export interface PageRankRow {
  readonly page: string;
  readonly rank: number;
  readonly inDegree: number;
  readonly outDegree: number;
}

/** A vertex's id in GraphX's sense; here a page URL. */
export type VertexId = string;

/** GraphX's `Edge`: a directed edge from `srcId` to `dstId`, with an attribute. */
export interface Edge<ED> {
  readonly srcId: VertexId;
  readonly dstId: VertexId;
  readonly attr: ED;
}

/** What `transitions` reads: a topic of page views, cleaned, from a time on. */
export type TransitionOptions = Pick<PathsOptions, 'clean' | 'since' | 'topic'>;
