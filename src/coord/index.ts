export { Bus } from './bus';
export { electLeader } from './leader';
export type { Election, Teardown } from './leader';
export { joinGroup } from './membership';
export type { Membership } from './membership';
export { BadVersionError, NodeExistsError, NodeStore, NoNodeError } from './nodes';
export type { NodeStat } from './nodes';
export { holdLock } from './hold-lock';
export type { Release } from './hold-lock';
