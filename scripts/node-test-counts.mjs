// A node:test reporter for scripts/test.mjs: the passed and failed tests, as
// `{"passed":N,"failed":N}` (the shape the other suites' counts have).
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.data?.details?.type === 'suite') continue; // a describe(): its tests count
    if (event.type === 'test:pass' && !event.data.skip) passed++;
    if (event.type === 'test:fail') failed++;
  }
  yield JSON.stringify({ passed, failed });
}
