import { describe, expect, it } from 'vitest';
import { fitText, middleEllipsis, urlText } from '../../src/ui/shared/url-text';

describe("<tabstream-counts>' URL text", () => {
  it("writes the page's own URLs as paths, and others whole", () => {
    const origin = 'http://127.0.0.1:5199';
    expect(urlText(`${origin}/downloads/a.pdf`, origin)).toBe('/downloads/a.pdf');
    expect(urlText(origin, origin)).toBe('/');
    expect(urlText(`${origin}?q=1`, origin)).toBe('?q=1');
    expect(urlText('http://127.0.0.1:51990/x', origin)).toBe('http://127.0.0.1:51990/x');
    expect(urlText('https://other.example/x', origin)).toBe('https://other.example/x');
    expect(urlText('https://other.example/x', null)).toBe('https://other.example/x');
  });

  it('cuts in the middle, keeping the file whole and the start up to a folder', () => {
    const path = '/downloads/2024/quarterly/report-2024.pdf';
    expect(middleEllipsis(path, 100)).toBe(path);
    expect(middleEllipsis(path, 28)).toBe('/downloads/…/report-2024.pdf');
    expect(middleEllipsis(path.replace('.pdf', '.csv'), 28)).toBe('/downloads/…/report-2024.csv');
    expect(middleEllipsis(path, 18)).toBe('/…/report-2024.pdf');
    expect(middleEllipsis(path, 17)).toBe('/downloa…2024.pdf');
    expect(middleEllipsis('https://x.example/a/b/c/d/e/landing.html', 34)).toBe(
      'https://x.example/a/…/landing.html',
    );
    // A last segment too long to keep whole: both ends, by characters.
    expect(middleEllipsis('/a-very-long-slug-with-no-folders-at-all', 15)).toBe('/a-very…-at-all');
    expect(middleEllipsis('abc', 1)).toBe('…');
  });

  it('fits the longest cut that a width allows', () => {
    const width = (text: string) => text.length * 10; // a monospaced font of 10 px
    const path = '/downloads/2024/quarterly/report-2024.pdf';
    expect(fitText(path, 1000, width)).toBe(path);
    expect(fitText(path, 280, width)).toBe(middleEllipsis(path, 28));
    for (const room of [20, 95, 180, 333])
      expect(width(fitText(path, room, width))).toBeLessThanOrEqual(Math.max(room, 10));
  });
});
