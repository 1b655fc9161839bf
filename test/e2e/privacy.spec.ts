// Privacy, sensitive data, configuration errors, host-page safety and network silence: the
// built script tag on real pages, and what reaches the origin's storage read back raw.
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/shared/version';
import { flush, ready, setUp, type Setup } from './browser';
import {
  BAD_ATTRIBUTES,
  IGNORED_TEXT,
  SECRET_FIELD_NAMES,
  SECRETS,
  servePrivacySite,
  type Site,
} from './privacy-site';

type Value = Record<string, unknown>;

/**
 * Everything the page's origin keeps, as one text: every record (keys and values) of every
 * object store of every IndexedDB database, ArrayBuffers (column chunks: UTF-8 dictionaries)
 * decoded as UTF-8 and the rest as JSON, then localStorage and sessionStorage.
 */
function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const decoder = new TextDecoder();
    const text = (value: unknown): string => {
      if (value instanceof ArrayBuffer) return decoder.decode(value);
      if (ArrayBuffer.isView(value))
        return decoder.decode(
          new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice(),
        );
      if (value instanceof Map) return text([...value]);
      if (value instanceof Set) return text([...value]);
      if (Array.isArray(value)) return value.map(text).join('\n');
      if (value !== null && typeof value === 'object')
        return Object.entries(value)
          .map(([key, field]) => `${key}: ${text(field)}`)
          .join('\n');
      return typeof value === 'string' ? value : String(JSON.stringify(value));
    };
    const request = <T>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
      });
    const parts: string[] = [];
    for (const { name, version } of await indexedDB.databases()) {
      if (name === undefined) continue;
      const open = indexedDB.open(name, version);
      // Gone since it was listed (a deleted database): do not create it again.
      open.onupgradeneeded = () => open.transaction!.abort();
      const db = await request(open).catch(() => null);
      if (!db) continue;
      try {
        for (const store of db.objectStoreNames) {
          const tx = db.transaction(store, 'readonly');
          const [keys, values] = await Promise.all([
            request(tx.objectStore(store).getAllKeys()),
            request(tx.objectStore(store).getAll()),
          ]);
          parts.push(`== ${name}/${store}`, text(keys), text(values));
        }
      } finally {
        db.close();
      }
    }
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        parts.push(`${key}: ${storage.getItem(key)}`);
      }
    }
    return parts.join('\n');
  });
}

/** Each of `secrets` found in `stored`, with the text around it (what stored it, say). */
function leaks(stored: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((secret) => {
    const at = stored.indexOf(secret);
    if (at < 0) return [];
    const around = stored.slice(Math.max(0, at - 120), at + secret.length + 40);
    return [`${secret} in …${around.replace(/[^\x20-\x7e]+/g, '·')}…`];
  });
}

/** Every value in `topic`, read with a consumer of the page's log from the beginning. */
function topicValues(page: Page, topic: string): Promise<Value[]> {
  return page.evaluate(async (topic) => {
    const log = window.tabstream!.log;
    const { partitions } = await log.describeTopic(topic);
    const consumer = log.consumer({ autoOffsetReset: 'earliest', enableAutoCommit: false });
    consumer.assign(partitions.map(({ partition }) => ({ topic, partition })));
    const values: Value[] = [];
    for (let records; (records = await consumer.poll({ maxRecords: 1000, timeoutMs: 100 })).length;)
      values.push(...records.map((record) => record.value as Value));
    await consumer.close();
    return values;
  }, topic);
}

/** How many records each of the tracker's topics holds. */
async function topicSizes(
  page: Page,
): Promise<{ clicks: number; pageviews: number; events: number; scrolls: number }> {
  const [clicks, pageviews, events, scrolls] = await Promise.all(
    ['clicks', 'pageviews', 'events', 'scrolls'].map(
      async (topic) => (await topicValues(page, topic)).length,
    ),
  );
  return { clicks: clicks!, pageviews: pageviews!, events: events!, scrolls: scrolls! };
}

/** The console messages of `page` from now on, by type. */
function consoleOf(page: Page): ConsoleMessage[] {
  const messages: ConsoleMessage[] = [];
  page.on('console', (message) => messages.push(message));
  return messages;
}

const errorsOf = (messages: readonly ConsoleMessage[]) =>
  messages.filter((message) => message.type() === 'error').map((message) => message.text());

describe('privacy and safety of the script tag', () => {
  let setup: Setup;
  let site: Site;

  beforeAll(async () => {
    setup = await setUp();
    site = await servePrivacySite(setup.script.origin);
  });
  afterAll(async () => {
    await setup.close();
    await site.close();
  });

  /** A new context (its own storage: a new visitor) and a page in it at `path`, tabstream ready. */
  async function open(path: string, init?: () => void) {
    const context = await setup.browser.newContext();
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    const messages = consoleOf(page);
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${site.origin}${path}`);
    await ready(page);
    return { context, page, messages, pageErrors };
  }

  describe('sensitive data', () => {
    it('stores clicks on form fields but never what was typed, chosen or marked sensitive', async () => {
      const { context, page } = await open('/form');
      await page.click('#text');
      await page.fill('#text', SECRETS.text);
      await page.click(`#${SECRET_FIELD_NAMES.passwordId}`);
      await page.locator(`#${SECRET_FIELD_NAMES.passwordId}`).pressSequentially(SECRETS.password);
      await page.click('#textarea');
      await page.fill('#textarea', SECRETS.textarea);
      await page.selectOption('#select', SECRETS.option);
      await page.click('#select');
      await page.keyboard.press('Escape');
      await page.dispatchEvent(`#${SECRET_FIELD_NAMES.hiddenId}`, 'click');
      await page.click('#marked-inner');
      await page.click('#editable');
      await page.click('#submit-label');
      // The last click, then the page hides: what the log has not taken yet is spilled to
      // localStorage at once, and read before it is appended (and the spill removed).
      const spilled = await page.evaluate(() => {
        document.querySelector<HTMLElement>('#card-button')!.click();
        const hide = (hidden: boolean) => {
          Object.defineProperty(document, 'visibilityState', {
            value: hidden ? 'hidden' : 'visible',
            configurable: true,
          });
          document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        };
        hide(true);
        const spills = Object.keys(localStorage)
          .filter((key) => key.startsWith('tabstream:spill:'))
          .map((key) => `${key}: ${localStorage.getItem(key)}`);
        hide(false);
        return spills.join('\n');
      });
      expect(spilled).toContain('Pay with [redacted] now');
      expect(await page.evaluate(() => (window as { submitted?: number }).submitted)).toBe(1);
      await flush(page);

      const clicks = await topicValues(page, 'clicks');
      expect(clicks.map((click) => click.tag)).toEqual([
        'input',
        'input',
        'textarea',
        'select',
        'input',
        'span',
        'div',
        'button',
        'button',
      ]);
      const submit = clicks.find((click) => click.selector === '#submit-label');
      expect(submit).toMatchObject({ tag: 'button', id: 'submit', label: 'Send it' });
      const card = clicks.find((click) => click.id === 'card-button');
      expect(card?.label).toBe('Pay with [redacted] now');
      for (const field of clicks.slice(0, 7)) expect(field.label).toBeNull();

      const stored = await storedText(page);
      expect(stored).toContain('Pay with [redacted] now'); // the dump does read the log's chunks
      expect(stored).toContain(`${site.origin}/form`);
      expect(
        leaks(stored, [
          ...Object.values(SECRETS),
          '4111 1111 1111 1111',
          '4111111111111111',
          '4242424242424242',
        ]),
      ).toEqual([]);
      expect(
        leaks(spilled, [...Object.values(SECRETS), '4111 1111 1111 1111', '4111111111111111']),
      ).toEqual([]);
      await context.close();
    });

    it('keeps nothing of a password or hidden field but its tag: not its id or class', async () => {
      const { context, page } = await open('/form');
      await page.click(`#${SECRET_FIELD_NAMES.passwordId}`);
      await page.dispatchEvent(`#${SECRET_FIELD_NAMES.hiddenId}`, 'click');
      await flush(page);
      const clicks = await topicValues(page, 'clicks');
      expect(clicks).toHaveLength(2);
      expect(clicks).toMatchObject([
        { tag: 'input', id: null, classes: null, label: null },
        { tag: 'input', id: null, classes: null, label: null },
      ]);
      const stored = await storedText(page);
      expect(leaks(stored, Object.values(SECRET_FIELD_NAMES))).toEqual([]);
      await context.close();
    });

    it('keeps no query string of the site by default: not in pages, link targets or referrers', async () => {
      const { context, page } = await open('/plain?token=QUERYSECRET-d4Fs');
      await page.evaluate(() => {
        document.querySelector('#next')!.setAttribute('href', '/plain/2?email=LINKSECRET-g7Hj');
      });
      await page.click('#button');
      await page.click('#next');
      await page.waitForURL(/\/plain\/2/);
      await ready(page);
      await page.click('#button');
      await page.evaluate(() => history.pushState({}, '', '/plain?spa=SPASECRET-u2Wk'));
      await flush(page);
      const clicks = await topicValues(page, 'clicks');
      expect(clicks.map(({ page, target }) => ({ page, target }))).toEqual([
        { page: `${site.origin}/plain`, target: null },
        { page: `${site.origin}/plain`, target: `${site.origin}/plain/2` },
        { page: `${site.origin}/plain/2`, target: null },
      ]);
      const views = await topicValues(page, 'pageviews');
      expect(views.map(({ page, referrer }) => ({ page, referrer }))).toEqual([
        { page: `${site.origin}/plain`, referrer: null },
        { page: `${site.origin}/plain/2`, referrer: `${site.origin}/plain` },
        { page: `${site.origin}/plain`, referrer: `${site.origin}/plain/2` },
      ]);
      const stored = await storedText(page);
      expect(stored).toContain(`${site.origin}/plain/2`);
      expect(leaks(stored, ['QUERYSECRET-d4Fs', 'LINKSECRET-g7Hj', 'SPASECRET-u2Wk'])).toEqual([]);
      await context.close();
    });

    it('does not store clicks under [data-tabstream-ignore] or under data-ignore="…" matches', async () => {
      const { context, page } = await open('/ignore');
      await page.click('#in-ignore-inner');
      await page.click('#in-ignore');
      await page.click('#in-admin');
      await page.click('#admin-itself');
      await page.click('#kept-button');
      await page.click('#kept-box');
      await flush(page);
      const clicks = await topicValues(page, 'clicks');
      expect(clicks.map((click) => click.selector)).toEqual(['#kept-button', '#kept-box']);
      const stored = await storedText(page);
      expect(stored).toContain('Kept button');
      expect(leaks(stored, [...IGNORED_TEXT, 'in-ignore', 'in-admin', 'admin-itself'])).toEqual([]);
      await context.close();
    });
  });

  describe('the visitor’s choice', () => {
    it('opts out in every tab and across reloads until optIn(), and sets no cookie', async () => {
      const { context, page } = await open('/plain');
      await page.click('#box');
      await flush(page);
      const before = await topicSizes(page);
      expect(before).toEqual({ clicks: 1, pageviews: 1, events: 0, scrolls: 0 });

      // A click still being described when the visitor opts out is dropped too.
      await page.evaluate(() => {
        document.querySelector<HTMLElement>('#button')!.click();
        window.tabstream!.optOut();
      });
      expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(false);
      expect(await page.evaluate(() => localStorage.getItem('tabstream:opt-out'))).toBe('1');
      await page.click('#box');
      await page.click('#button');
      expect(await page.evaluate(() => window.tabstream!.track('opted-out', { n: 1 }))).toBe(false);
      await page.evaluate(() => history.pushState({}, '', '/plain/2'));
      await flush(page);
      expect(await topicSizes(page)).toEqual(before);

      // A second tab of the same browser starts opted out.
      const second = await context.newPage();
      await second.goto(`${site.origin}/plain`);
      await ready(second);
      expect(await second.evaluate(() => window.tabstream!.capturing)).toBe(false);
      await second.click('#box');
      expect(await second.evaluate(() => window.tabstream!.track('second-tab'))).toBe(false);
      await flush(second);

      // A reload stays opted out.
      await page.reload();
      await ready(page);
      expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(false);
      await page.click('#box');
      await page.evaluate(() => window.tabstream!.track('after-reload'));
      await flush(page);
      expect(await topicSizes(page)).toEqual(before);
      const stored = await storedText(page);
      expect(leaks(stored, ['opted-out', 'second-tab', 'after-reload'])).toEqual([]);

      // Opting in from one tab resumes both.
      await page.evaluate(() => window.tabstream!.optIn());
      expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(true);
      await second.waitForFunction(() => window.tabstream!.capturing);
      await page.click('#box');
      await second.click('#box');
      expect(await page.evaluate(() => window.tabstream!.track('opted-in'))).toBe(true);
      expect(await second.evaluate(() => window.tabstream!.track('opted-in-too'))).toBe(true);
      await flush(second);
      await flush(page);
      const after = await topicSizes(page);
      expect(after.clicks).toBe(before.clicks + 2);
      expect(after.events).toBe(2);

      expect(await context.cookies()).toEqual([]);
      expect(await page.evaluate(() => document.cookie)).toBe('');
      await context.close();
    });

    const dnt = () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
    const gpc = () =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });

    it.each([
      { signal: 'Do Not Track', path: '/dnt', init: dnt },
      { signal: 'Global Privacy Control', path: '/gpc', init: gpc },
    ])(
      'stores nothing under $signal when the site asks to honour it',
      async ({ path, init, signal }) => {
        const { context, page, messages } = await open(path, init);
        expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(false);
        await page.click('#box');
        await page.click('#button');
        expect(await page.evaluate(() => window.tabstream!.track('signal-on'))).toBe(false);
        await page.evaluate(() => history.pushState({}, '', '/elsewhere'));
        await flush(page);
        expect(await topicSizes(page)).toEqual({ clicks: 0, pageviews: 0, events: 0, scrolls: 0 });
        const stored = await storedText(page);
        expect(leaks(stored, [`${site.origin}${path}`, 'signal-on'])).toEqual([]);
        expect(messages.map((message) => message.text())).toContain(
          `tabstream: ${signal} is on; nothing is recorded.`,
        );
        await context.close();
      },
    );

    it('stores as usual under both signals when the site does not ask to honour them', async () => {
      const { context, page } = await open('/plain', () => {
        Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
      });
      expect(
        await page.evaluate(() => [
          navigator.doNotTrack,
          (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl,
        ]),
      ).toEqual(['1', true]); // the signals are on
      expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(true);
      await page.click('#box');
      expect(await page.evaluate(() => window.tabstream!.track('signal-ignored'))).toBe(true);
      await flush(page);
      expect(await topicSizes(page)).toEqual({ clicks: 1, pageviews: 1, events: 1, scrolls: 0 });
      await context.close();
    });
  });

  describe('the site’s mistakes', () => {
    it('names each invalid attribute once with its valid values, and runs on the defaults', async () => {
      const { context, page, messages } = await open('/bad-config');
      const errors = errorsOf(messages);
      for (const [attribute, valid] of Object.entries(BAD_ATTRIBUTES)) {
        const about = errors.filter((error) => error.includes(`${attribute}=`));
        expect(about, attribute).toHaveLength(1);
        expect(about[0]).toContain(valid);
      }
      expect(errors).toHaveLength(Object.keys(BAD_ATTRIBUTES).length);
      expect(errors.join('\n')).not.toContain('data-unknown-thing');

      expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(true);
      await page.click('#box');
      await page.click('#button');
      expect(await page.evaluate(() => window.tabstream!.track('defaults'))).toBe(true);
      await flush(page);
      expect(await page.evaluate(() => window.tabstream!.counts())).toEqual({
        [`${site.origin}/bad-config`]: 2,
      });
      expect(await topicSizes(page)).toEqual({ clicks: 2, pageviews: 1, events: 1, scrolls: 0 });
      const defaults = await page.evaluate(async () => ({
        partitions: (await window.tabstream!.log.describeTopic('clicks')).partitions.length,
        databases: (await indexedDB.databases()).map((db) => db.name).sort(),
        panel: document.getElementById('tabstream-panel') !== null,
      }));
      expect(defaults).toEqual({
        partitions: 4,
        databases: expect.arrayContaining(['tabstream', 'tabstream:coord']) as string[],
        panel: false,
      });
      await context.close();
    });

    it('records custom events from track() and data-tabstream-event, and refuses invalid ones without throwing', async () => {
      const { context, page, messages, pageErrors } = await open('/events');
      expect(await page.evaluate(() => window.tabstream!.track('signup', { plan: 'pro' }))).toBe(
        true,
      );
      expect(
        await page.evaluate(() =>
          window.tabstream!.track('checkout', { card: 'card 4111 1111 1111 1111', total: 12.5 }),
        ),
      ).toBe(true);
      await page.click('#add span');
      const invalid = await page.evaluate(() => {
        const track = window.tabstream!.track.bind(window.tabstream) as (
          ...args: unknown[]
        ) => boolean;
        const calls: unknown[][] = [
          [''],
          [42],
          ['x'.repeat(101)],
          ['bad-props', [1, 2]],
          ['bad-props', 'text'],
          ['bad-value', { nested: { a: 1 } }],
          ['bad-value', { n: Number.NaN }],
          ['bad-value', { f: () => 1 }],
          ['too-many', Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, i]))],
        ];
        return calls.map((args) => {
          try {
            return track(...args);
          } catch (error) {
            return `threw ${String(error)}`;
          }
        });
      });
      expect(invalid).toEqual(Array.from({ length: 9 }, () => false));
      await page.click('#bad-event');
      await flush(page);

      const events = await topicValues(page, 'events');
      expect(events.map(({ name, props }) => ({ name, props }))).toEqual([
        { name: 'signup', props: { plan: 'pro' } },
        { name: 'checkout', props: { card: 'card [redacted]', total: 12.5 } },
        { name: 'add-to-cart', props: { sku: 'espresso', qty: '2' } },
      ]);
      expect(
        events.every((event) => event.type === 'custom' && event.page === `${site.origin}/events`),
      ).toBe(true);
      expect((await topicSizes(page)).clicks).toBe(2); // the clicks are clicks all the same
      const trackErrors = errorsOf(messages).filter((error) => error.includes('track() ignored'));
      expect(trackErrors).toHaveLength(9);
      expect(errorsOf(messages).some((error) => error.includes('data-tabstream-event'))).toBe(true);
      const stored = await storedText(page);
      expect(leaks(stored, ['bad-props', 'bad-value', 'too-many', '4111 1111'])).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  });

  describe('the host page', () => {
    /** Clicks a throwing button three times and a rejecting box twice; the page's own errors. */
    async function misbehave(path: string) {
      const context = await setup.browser.newContext();
      const page = await context.newPage();
      const uncaught: string[] = [];
      page.on('pageerror', (error) => uncaught.push(error.message));
      const messages = consoleOf(page);
      await page.goto(`${site.origin}${path}`);
      const tabstream = path === '/host-errors';
      if (tabstream) await ready(page);
      for (let i = 0; i < 3; i++) await page.click('#boom');
      for (let i = 0; i < 2; i++) await page.click('#box');
      await page.waitForFunction(
        () => (window as { pageErrors?: string[] }).pageErrors!.length >= 5,
      );
      if (tabstream) await flush(page);
      const counted = await page.evaluate(() => (window as { pageErrors?: string[] }).pageErrors!);
      const clicks = tabstream ? (await topicSizes(page)).clicks : null;
      await context.close();
      return { counted, uncaught: uncaught.sort(), errors: errorsOf(messages), clicks };
    }

    it('sees its own errors as it would without tabstream, and tabstream adds none', async () => {
      const without = await misbehave('/host-errors-bare');
      const withIt = await misbehave('/host-errors');
      expect(without.counted).toHaveLength(5);
      expect(withIt.counted).toEqual(without.counted);
      expect(withIt.uncaught).toEqual(without.uncaught);
      expect(withIt.uncaught.every((message) => message.includes('host page'))).toBe(true);
      expect(withIt.errors.filter((error) => error.includes('tabstream'))).toEqual([]);
      expect(withIt.clicks).toBe(5);
    });

    it('starts on a page with an element whose id is "tabstream"', async () => {
      const context = await setup.browser.newContext();
      const page = await context.newPage();
      const messages = consoleOf(page);
      await page.goto(`${site.origin}/named-element`);
      // The element is window.tabstream (named access) until the script, run before the load
      // event that goto() waited for, replaces it.
      expect(await page.evaluate(() => typeof window.tabstream?.track)).toBe('function');
      await ready(page);
      await page.click('#box');
      await flush(page);
      expect((await topicSizes(page)).clicks).toBe(1);
      expect(messages.filter((message) => message.text().includes('included twice'))).toEqual([]);
      await context.close();
    });
  });

  describe('the network', () => {
    /** Every request of `context` and `page`, seen three ways. */
    async function audit(context: BrowserContext, page: Page) {
      const seen = { context: [] as string[], cdp: [] as string[], sockets: [] as string[] };
      context.on('request', (request) => seen.context.push(request.url()));
      page.on('websocket', (socket) => seen.sockets.push(socket.url()));
      const cdp = await context.newCDPSession(page);
      cdp.on('Network.requestWillBeSent', ({ request }) => seen.cdp.push(request.url));
      cdp.on('Network.webSocketCreated', ({ url }) => seen.sockets.push(url));
      await cdp.send('Network.enable');
      return seen;
    }

    it('catches a beacon, a fetch, an image, an XHR, a worker’s fetch and a WebSocket', async () => {
      const context = await setup.browser.newContext();
      const page = await context.newPage();
      const seen = await audit(context, page);
      await page.goto(`${site.origin}/control`);
      await ready(page);
      await page.evaluate(
        (ws) => (window as unknown as { sendAll: (ws: string) => void }).sendAll(ws),
        site.origin.replace('http', 'ws'),
      );
      const paths = ['/beacon', '/fetched', '/pixel.gif', '/xhr'].map((p) => `${site.origin}${p}`);
      await expect.poll(() => seen.cdp).toEqual(expect.arrayContaining(paths));
      await expect
        .poll(() => seen.context)
        .toEqual(expect.arrayContaining([...paths, `${site.origin}/from-worker`]));
      await expect
        .poll(() => seen.sockets)
        .toContain(`${site.origin.replace('http', 'ws')}/socket`);
      await context.close();
    });

    it('sends nothing while a page loads, is clicked, navigates, hides and tracks', async () => {
      const context = await setup.browser.newContext();
      const page = await context.newPage();
      const seen = await audit(context, page);
      await page.goto(`${site.origin}/audit`);
      await ready(page);
      await page.click('#box');
      await page.click('#button');
      await page.evaluate(() => window.tabstream!.track('audited', { n: 1 }));
      await page.evaluate(() => history.pushState({}, '', '/audit?spa=1'));
      await page.click('#box');
      // Hidden and shown again, as when the visitor switches tabs.
      await page.evaluate(() => {
        const set = (state: DocumentVisibilityState) => {
          Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
          Object.defineProperty(document, 'hidden', {
            value: state === 'hidden',
            configurable: true,
          });
          document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        };
        set('hidden');
        set('visible');
      });
      await flush(page);
      await page.evaluate(() => window.tabstream!.counts());
      await page.click('#next'); // a real navigation
      await page.waitForURL(`${site.origin}/audit/2`);
      await ready(page);
      await page.click('#box');
      await flush(page);
      // A few batches more, for whatever runs in the background.
      const batches = await page.evaluate(() => window.tabstream!.batches.length);
      await page.waitForFunction((n) => window.tabstream!.batches.length >= n + 10, batches);
      expect((await topicSizes(page)).clicks).toBe(5);

      const allowed = (url: string) =>
        url.startsWith('blob:') ||
        url === 'data:,' ||
        [`${site.origin}/audit`, `${site.origin}/audit/2`].includes(url) ||
        [
          `${setup.script.origin}/tabstream.js`,
          `${setup.script.origin}/tabstream-core.js?v=${VERSION}`,
        ].includes(url);
      expect(seen.context.filter((url) => !allowed(url))).toEqual([]);
      expect(seen.cdp.filter((url) => !allowed(url))).toEqual([]);
      expect(seen.sockets).toEqual([]);
      // The audit did see the page's own requests.
      expect(seen.cdp).toContain(`${setup.script.origin}/tabstream-core.js?v=${VERSION}`);
      expect(seen.context).toContain(`${site.origin}/audit/2`);
      await context.close();
    });
  });
});
