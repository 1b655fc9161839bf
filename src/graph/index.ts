export { pageRanks, paths } from './paths';
export type { PageRankRow, PathLink, PathNode, PathRule, Paths, PathsOptions } from './types';
