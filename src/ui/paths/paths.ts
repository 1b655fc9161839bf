import { css, html, LitElement, nothing, svg, type TemplateResult } from 'lit';
import type { Paths } from '../../graph';
import { formatCount, middleEllipsis, plural, urlText } from '../shared';
import { layoutSankey, NODE_WIDTH, type PlacedLink, type PlacedNode } from './layout';

/** A label's room in its column (12 px text), in characters; the node's title has it whole. */
const LABEL_CHARACTERS = 32;

/**
 * `<tabstream-paths>`: the paths of `.data` (src/graph's `Paths`) as an SVG Sankey. A column
 * per step, with no cap (it scrolls sideways), a node per page at a step, as tall as the
 * sessions there, with the sessions that ended there (drop-off) marked; a link per move
 * between pages, as thick as the sessions that took it, each focusable, with a title. Every
 * page is rendered as text.
 *
 * @attr origin - the origin whose pages show as paths (`/shop/`); default the page's own. A
 *   label past its room is cut in the middle; its node's title holds the page whole.
 * @csspart svg - the Sankey
 * @cssprop --tabstream-accent - the nodes
 * @cssprop --tabstream-error - drop-off
 */
export class TabstreamPaths extends LitElement {
  static override properties = { data: { attribute: false }, origin: {} };

  static override styles = css`
    :host {
      display: block;
      overflow-x: auto;
      font: var(--tabstream-font, 14px/1.4 system-ui, sans-serif);
      color: var(--tabstream-color, CanvasText);
    }
    .node {
      fill: var(--tabstream-accent, #4f6bed);
    }
    .drop {
      fill: var(--tabstream-error, #c62828);
    }
    .link {
      fill: none;
      stroke: var(--tabstream-accent, #4f6bed);
      stroke-opacity: 0.3;
    }
    .link:hover,
    .link:focus {
      stroke-opacity: 0.6;
      outline: none;
    }
    text {
      fill: currentColor;
      font-size: 12px;
      /* A halo of the background: labels stay readable over the links they cross. */
      paint-order: stroke;
      stroke: var(--tabstream-background, Canvas);
      stroke-width: 3px;
      stroke-linejoin: round;
    }
    .count {
      fill: var(--tabstream-muted, #6b6b76);
    }
    p {
      margin: 0.4em 0;
    }
  `;

  /** The paths drawn; null: nothing yet. */
  declare data: Paths | null;
  /**
   * The origin whose pages a label writes as paths (`/shop/`); default the page's own. The
   * DevTools panel sets the inspected page's.
   */
  declare origin: string | undefined;

  constructor() {
    super();
    this.data = null;
  }

  protected override render(): TemplateResult | typeof nothing {
    const { data } = this;
    if (!data) return nothing;
    if (data.nodes.length === 0)
      return html`<p>
        No paths: no session
        ${data.start ? `from ${data.start}` : ''}${data.end ? ` into ${data.end}` : ''} yet.
      </p>`;
    const layout = layoutSankey(data);
    return html`<p>
        ${plural(data.sessions, 'session')}${data.start ? html`, from <q>${data.start}</q>` : ''}${
          data.end ? html`, into <q>${data.end}</q>` : ''
        }
      </p>
      <svg
        part="svg"
        role="group"
        aria-label="Paths"
        width=${layout.width}
        height=${layout.height}
        viewBox="0 0 ${layout.width} ${layout.height}"
      >
        ${layout.links.map(linkPath)}
        ${layout.nodes.map((placed) => nodeGroup(placed, this.labelOf))}
      </svg>`;
  }

  /** A page as its label writes it: a path on the origin, cut in the middle past its room. */
  private readonly labelOf = (page: string): string =>
    middleEllipsis(
      urlText(page, this.origin ?? (typeof location === 'undefined' ? null : location.origin)),
      LABEL_CHARACTERS,
    );
}

const linkTitle = ({ link }: PlacedLink) =>
  `${link.source} → ${link.target}: ${plural(link.count, 'session')}`;

function linkPath(placed: PlacedLink) {
  return svg`<path class="link" tabindex="0" role="img" aria-label=${linkTitle(placed)}
    data-step=${placed.link.step} d=${placed.d} stroke-width=${placed.width}
  ><title>${linkTitle(placed)}</title></path>`;
}

/** A node: its bar (its drop-off at the bottom, in its own colour), its page and its counts. */
function nodeGroup({ node, x, y, height }: PlacedNode, labelOf: (page: string) => string) {
  const dropHeight = node.count > 0 ? (height * node.dropOff) / node.count : 0;
  const label = `${node.page}: ${plural(node.count, 'session')}, ${formatCount(node.dropOff)} ended here`;
  return svg`<g class="step" data-step=${node.step}>
    <title>${label}</title>
    <rect class="node" x=${x} y=${y} width=${NODE_WIDTH} height=${height}></rect>
    ${
      dropHeight > 0
        ? svg`<rect class="drop" x=${x} y=${y + height - dropHeight} width=${NODE_WIDTH}
            height=${dropHeight}></rect>`
        : nothing
    }
    <text class="page" x=${x + NODE_WIDTH + 4} y=${y + 10}>${labelOf(node.page)}</text>
    <text class="count" x=${x + NODE_WIDTH + 4} y=${y + 24}>${formatCount(node.count)}${
      node.dropOff > 0 ? ` · ${formatCount(node.dropOff)} dropped off` : ''
    }</text>
  </g>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-paths': TabstreamPaths;
  }
}
