// <tabstream-sql>: Spark SQL over the log, in the monitor's SQL tab and the DevTools panel's.
export { TabstreamSql } from './sql';
export { pageSqlSource } from './source';
export type { SqlResult, SqlSource, SqlStream } from './source';
