/** WHERE, HAVING, FILTER and CASE keep only true: null and false alike are dropped. */
export const isTrue = (v: unknown): boolean => v === true;
