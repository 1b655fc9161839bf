// The log under storage pressure, with a real QuotaExceededError: the quota of an origin is
// lowered through DevTools (`set-storage-quota`, a server command of web-test-runner.config.mjs).
// The log runs in a popup on an origin of its own (another loopback address, see
// fixtures/log-quota-remote.ts), so that no other test shares the lowered quota, and so that the
// override is in place before that origin's first write (Chromium caches an origin's free space
// for up to 30 s).
import { expect } from 'chai';
import * as Comlink from 'comlink';
import { executeServerCommand } from '@web/test-runner-commands';
import type { LogEvent } from '../../src/log';
import type { Outcome, QuotaRemote, ReadRecord } from './fixtures/log-quota-remote';

/** Text that no compressor shrinks much: random CJK characters (3 bytes each in UTF-8). */
function noise(chars: number): string {
  let text = '';
  for (let i = 0; i < chars; i++)
    text += String.fromCharCode(0x4e00 + Math.floor(Math.random() * 0x5000));
  return text;
}

/** `count` records from sequence number `from` on, of about 600 bytes each, over both partitions. */
function records(from: number, count: number): { key: string; value: LogEvent }[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${(from + i) % 2}`, // murmur2: key-0 → partition 1, key-1 → partition 0
    value: { seq: from + i, pad: noise(200) },
  }));
}

interface Remote {
  readonly origin: string;
  readonly remote: Comlink.Remote<QuotaRemote>;
  dispose(): Promise<void>;
}

let nextHost = 2;
let openPopups: Remote[] = [];

/** A popup running the log on a fresh origin whose quota is `quotaSize` bytes from the start. */
async function openRemote(quotaSize: number): Promise<Remote> {
  const origin = `http://127.0.0.${nextHost++}:${location.port}`;
  await executeServerCommand('set-storage-quota', { origin, quotaSize });
  const popup = window.open(`${origin}/test/browser/fixtures/log-quota-page.html`, origin);
  const remote = Comlink.wrap<QuotaRemote>(Comlink.windowEndpoint(popup!, self, origin));
  const handle: Remote = {
    origin,
    remote,
    async dispose() {
      await Promise.race([remote.dispose(), new Promise((resolve) => setTimeout(resolve, 3000))]);
      popup?.close();
      remote[Comlink.releaseProxy]();
      await executeServerCommand('set-storage-quota', { origin });
    },
  };
  openPopups.push(handle);
  if (!popup) throw new Error('window.open was refused');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the popup on ${origin} did not start`)),
      10000,
    );
    addEventListener('message', function ready(event: MessageEvent<{ logQuotaRemote?: string }>) {
      if (event.source !== popup || event.data?.logQuotaRemote !== 'ready') return;
      removeEventListener('message', ready);
      clearTimeout(timer);
      resolve();
    });
  });
  return handle;
}

const byPartition = (read: readonly ReadRecord[], partition: number) =>
  read.filter((record) => record.partition === partition);

const QUOTA = Number(new URLSearchParams(location.search).get('quota') ?? 8_000_000);
const RETENTION = 500_000;
const ROUNDS = Math.ceil((3 * QUOTA) / 60_000);

describe('log under a storage quota (real QuotaExceededError)', function () {
  this.timeout(60000);

  afterEach(async () => {
    // Restores the quota, closes the popup and deletes its log, even when the test failed.
    const popups = openPopups;
    openPopups = [];
    await Promise.all(popups.map((popup) => popup.dispose()));
  });

  it('makes room with retention when the quota is hit, and loses nothing after log-start', async () => {
    const { remote } = await openRemote(QUOTA);
    await remote.open(`quota-retention-${Math.random()}`, {
      name: 't',
      partitions: 2,
      retentionBytes: RETENTION,
    });
    await remote.startProducer({ lingerMs: 0, batchSize: 50 });
    const rounds = ROUNDS; // of 100 records of ~600 bytes: 3× the quota, 9× what retention keeps
    for (let round = 0; round < rounds; round++) {
      await remote.send('t', records(round * 100, 100));
      // Chromium frees the space of deleted records lazily (at LevelDB compactions), so a flush
      // may meet the quota for a while: it rejects, the records stay, and a later one succeeds.
      let flushed: Outcome = await remote.flush();
      for (const waitedSince = Date.now(); !flushed.ok && Date.now() - waitedSince < 30000;) {
        expect(flushed).to.include({ name: 'LogFullError' });
        await new Promise((resolve) => setTimeout(resolve, 500));
        flushed = await remote.flush();
      }
      expect(flushed, `flush of round ${round}: ${flushed.message}`).to.include({ ok: true });
    }
    const counts = await remote.sendCounts();
    expect(counts).to.include({ sent: rounds * 100, resolved: rounds * 100, rejected: 0 });
    const states = await remote.partitions('t');
    const read = await remote.readAll('t');
    expect(states.reduce((sum, p) => sum + p.highWatermark, 0)).to.equal(rounds * 100);
    for (const state of states) {
      // Retention ran: whole batches went from the head, and the partition is back within bounds.
      expect(state.logStartOffset, `log-start of ${state.partition}`).to.be.greaterThan(0);
      expect(state.bytes).to.be.at.most(RETENTION + 40_000);
      const tail = byPartition(read, state.partition);
      // Everything from log-start on is there, dense, in send order, and each record once.
      expect(tail.map((r) => r.offset)).to.deep.equal(
        Array.from(
          { length: state.highWatermark - state.logStartOffset },
          (_, i) => state.logStartOffset + i,
        ),
      );
      const sent = counts.offsets.filter((o) => o.partition === state.partition);
      const sentSeqs = sent.sort((a, b) => a.offset - b.offset).map((o) => o.seq);
      expect(sentSeqs, 'every send got its own offset').to.have.length(state.highWatermark);
      // The records read are exactly the last ones sent to the partition, by their send offsets.
      expect(tail.map((r) => r.value.seq)).to.deep.equal(sentSeqs.slice(state.logStartOffset));
      const seqs = tail.map((r) => r.value.seq as number);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    }
  });

  it('rejects flush with LogFullError when retention cannot help, keeps the records, and appends each once when space returns', async () => {
    const { origin, remote } = await openRemote(600_000);
    await remote.open(`quota-full-${Math.random()}`, {
      name: 't',
      partitions: 2,
      retentionBytes: -1,
    });
    await remote.startProducer({ lingerMs: 0, batchSize: 50 });
    let full: Outcome | null = null;
    let round = 0;
    for (; round < 40 && !full; round++) {
      await remote.send('t', records(round * 100, 100));
      const flushed = await remote.flush();
      if (!flushed.ok) full = flushed;
    }
    const sent = round * 100;
    expect(full, 'the quota was hit').to.not.equal(null);
    expect(full).to.include({ name: 'LogFullError', causeName: 'QuotaExceededError' });

    // Nothing lost, nothing rejected: the records not appended still wait in the producer.
    const before = await remote.partitions('t');
    const appended = before.reduce((sum, p) => sum + p.highWatermark, 0);
    const waiting = await remote.sendCounts();
    expect(waiting).to.include({ sent, rejected: 0, resolved: appended });
    expect(appended).to.be.lessThan(sent);
    expect((await remote.readAll('t')).length).to.equal(appended);

    // Still full: a second flush fails the same way and appends nothing.
    expect(await remote.flush()).to.include({ ok: false, name: 'LogFullError' });
    const still = await remote.partitions('t');
    expect(still.map((p) => p.highWatermark)).to.deep.equal(before.map((p) => p.highWatermark));

    // Space returns: flush resolves and every record is in the log exactly once, in send order.
    await executeServerCommand('set-storage-quota', { origin });
    expect(await remote.flush()).to.include({ ok: true });
    const done = await remote.sendCounts();
    expect(done).to.include({ sent, resolved: sent, rejected: 0 });
    const read = await remote.readAll('t');
    expect(read).to.have.length(sent);
    expect(read.map((r) => r.value.seq as number).sort((a, b) => a - b)).to.deep.equal(
      Array.from({ length: sent }, (_, i) => i),
    );
    const states = await remote.partitions('t');
    for (const state of states) {
      const records = byPartition(read, state.partition);
      expect(state.logStartOffset).to.equal(0);
      expect(records.map((r) => r.offset)).to.deep.equal(
        Array.from({ length: state.highWatermark }, (_, i) => i),
      );
      const seqs = records.map((r) => r.value.seq as number);
      expect(seqs, `send order in partition ${state.partition}`).to.deep.equal(
        [...seqs].sort((a, b) => a - b),
      );
      for (const r of records) expect(r.key).to.equal(`key-${(r.value.seq as number) % 2}`);
    }
    // Each send resolved with the offset the record was read at.
    const readAt = new Map(read.map((r) => [r.value.seq as number, `${r.partition}:${r.offset}`]));
    for (const o of done.offsets) expect(readAt.get(o.seq)).to.equal(`${o.partition}:${o.offset}`);
  });
});
