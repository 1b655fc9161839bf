import { html, svg, type TemplateResult } from 'lit';
import { formatTime, plural } from '../shared';

/** One point of a timeline: a batch's figure. */
export interface ChartPoint {
  /** What the point is, for its tooltip: `Batch 12`. */
  readonly name: string;
  readonly time: number;
  readonly value: number;
}

/** What `timelineChart` draws. */
export interface ChartOptions {
  /** What it plots, for its text alternative: `Input rate`. */
  readonly label: string;
  /** Oldest first; at least one. */
  readonly points: readonly ChartPoint[];
  /** Drawn as a dashed line, as Spark Streaming's timelines draw it. */
  readonly average: number;
  readonly format: (value: number) => string;
}

/**
 * A timeline like Spark Streaming's: a line through one dot per point, from 0 to the max, with
 * the max, 0 and the first and last times as text around it. Coordinates are percentages, so it
 * fills any width without stretching its dots or text. Screen readers get a one-sentence summary.
 */
export function timelineChart({ label, points, average, format }: ChartOptions): TemplateResult {
  const values = points.map((point) => point.value);
  const max = Math.max(...values);
  const x = (i: number) => `${points.length === 1 ? 50 : (100 * i) / (points.length - 1)}%`;
  const y = (value: number) => `${100 - (100 * value) / (max || 1)}%`;
  const first = points[0]!;
  const last = points.at(-1)!;
  const summary =
    `${label} over ${plural(points.length, 'batch', 'batches')}, ${formatTime(first.time)} to ` +
    `${formatTime(last.time)}: max ${format(max)}, average ${format(average)}, ` +
    `latest ${format(last.value)}.`;
  return html`<figure class="chart" part="chart" role="img" aria-label=${summary}>
    <div class="y-axis"><span>${format(max)}</span><span>0</span></div>
    <svg>
      <line class="axis" x1="0" y1="0" x2="100%" y2="0"></line>
      <line class="axis" x1="0" y1="100%" x2="100%" y2="100%"></line>
      <line class="mean" x1="0" y1=${y(average)} x2="100%" y2=${y(average)}></line>
      ${points
        .slice(1)
        .map(
          (point, i) =>
            svg`<line class="trend" x1=${x(i)} y1=${y(values[i]!)} x2=${x(i + 1)} y2=${y(point.value)}></line>`,
        )}
      ${points.map(
        (point, i) =>
          svg`<circle cx=${x(i)} cy=${y(point.value)} r="3"><title>${point.name}, ${formatTime(point.time)}: ${format(point.value)}</title></circle>`,
      )}
    </svg>
    <div class="x-axis">
      <span>${formatTime(first.time)}</span><span>${formatTime(last.time)}</span>
    </div>
  </figure>`;
}
