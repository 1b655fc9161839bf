export { explain, sql } from './sql';
export type { SqlParams, SqlResult } from './sql';
export { SqlError } from './sql-error';
export { SqlRuntimeError } from './scalar';
export { TASK } from './tasks';
export { sqlApi } from './sql-api';
export type { SqlApi } from './sql-api';
export {
  listStreams,
  registerStream,
  runStreams,
  streamResults,
  subscribeStream,
  dropStream,
} from './streams';
export type { SqlStream } from './streams';
export { defineTableFunction, TableFunctionError } from './table-functions';
export type { TableFunction, TableFunctionArg } from './table-functions';
export { oncePerParams } from './once';
