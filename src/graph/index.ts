export { Graph } from './graph';
export type { GraphOptions } from './graph';
export { pageRanks, paths } from './paths';
export { transitionGraph, transitions } from './transitions';
export type {
  Edge,
  PageRankRow,
  PathLink,
  PathNode,
  PathRule,
  Paths,
  PathsOptions,
  TransitionOptions,
  VertexId,
} from './types';
