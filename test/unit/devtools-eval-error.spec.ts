import { describe, expect, it } from 'vitest';
import { EvalFailedError, evalFailure } from '../../devtools/eval-error';

describe("the DevTools panel's eval failures", () => {
  it("fills DevTools' %s placeholders from the details, in order", () => {
    const exception = {
      isError: true,
      code: 'E_FAILED',
      description: 'Operation failed: %s',
      details: ['Permission denied'],
    };
    expect(evalFailure(exception)).toBe('Operation failed: Permission denied');
    expect(new EvalFailedError(exception).denied).toBe(true);
    expect(
      evalFailure({ isError: true, description: '%s: %s', details: ['E_PROTOCOLERROR', 'gone'] }),
    ).toBe('E_PROTOCOLERROR: gone');
  });

  it('never leaves a placeholder, and keeps details it had no placeholder for', () => {
    expect(evalFailure({ isError: true, description: 'Failed: %s' })).toBe('Failed: ?');
    expect(evalFailure({ isError: true, description: 'Failed', details: [1, 'x'] })).toBe(
      'Failed (1, x)',
    );
    expect(evalFailure({ isError: true, code: 'E_NOTFOUND' })).toBe('E_NOTFOUND');
  });

  it("gives an exception thrown in the page as the page's message", () => {
    const exception = { isException: true, value: 'ReferenceError: x is not defined' };
    expect(evalFailure(exception)).toBe('ReferenceError: x is not defined');
    expect(new EvalFailedError(exception).denied).toBe(false);
  });
});
