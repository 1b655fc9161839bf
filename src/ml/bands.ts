import type { Band } from './types';

/** The width each band's page x is scaled to: a click's x becomes `x / vw * width`. */
export const REFERENCE_WIDTHS: Readonly<Record<Band, number>> = {
  mobile: 390,
  tablet: 820,
  desktop: 1440,
};

/** The viewport's band: mobile < 768 px ≤ tablet < 1024 px ≤ desktop. */
export function bandOf(viewportWidth: number): Band {
  return viewportWidth < 768 ? 'mobile' : viewportWidth < 1024 ? 'tablet' : 'desktop';
}
