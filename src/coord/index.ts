export { Bus } from './bus';
export { electLeader } from './leader';
export type { Election, Teardown } from './leader';
