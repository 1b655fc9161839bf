import { expect } from 'chai';
import { KafkaRestSink } from '../../../src/sink';
import { until } from '../helpers';
import { committed, logWithEvents } from './sink-helpers';

// Its own file: a page's CSP cannot be taken back.
describe('the Kafka sink on a page whose CSP blocks the proxy', () => {
  it('stops at the second blocked request, saying which directive to change', async () => {
    const log = await logWithEvents({ clicks: 5 }, 1);
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "connect-src 'self'";
    document.head.append(meta);
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '));
    const sink = new KafkaRestSink({
      log,
      url: 'http://127.0.0.1:9/',
      topics: ['clicks'],
      retryBaseMs: 5,
      idleMs: 50,
    });
    try {
      sink.start();
      await until(() => sink.status().state === 'stopped-fatal');
    } finally {
      console.error = original;
      await sink.stop();
    }
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/Content-Security-Policy blocks it \(connect-src\)/);
    expect(await committed(log, ['clicks'])).to.deep.equal({ 'clicks-0': 0 });
  });
});
