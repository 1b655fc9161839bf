/**
 * What one step matches: a page view whose page matches `page` (a glob: `*` any characters but
 * `/`, `**` any characters; or a RegExp's source between slashes, `/^\/orders\/\d+$/`), or a
 * custom event named `event`.
 */
export type StepMatch = { readonly page: string } | { readonly event: string };

/** A step: one match, or any of several (an OR step); optional steps need not be done. */
export interface FunnelStep {
  readonly name?: string;
  readonly match: StepMatch | readonly StepMatch[];
  readonly optional?: boolean;
}

/** What a funnel is asked for: steps in order (no limit), done within `window` of the first. */
export interface FunnelOptions {
  readonly steps: readonly FunnelStep[];
  /** The conversion window, ms from the first step; default 24 hours. */
  readonly window?: number;
  /** Whose steps: a session (default) or a tab. */
  readonly by?: 'session' | 'tab';
  readonly since?: number;
}

/** One step's figures. */
export interface FunnelStepResult {
  readonly step: number;
  readonly name: string;
  readonly optional: boolean;
  /** Sessions (or tabs) that reached this step. */
  readonly count: number;
  /** `count` over the first step's count. */
  readonly conversion: number;
  /** `count` over the previous required step's count (1 for the first). */
  readonly fromPrevious: number;
  /** The previous required step's count minus this one's (0 for the first and optional steps). */
  readonly dropOff: number;
}

export interface Funnel {
  /** Sessions (or tabs) that did the first step. */
  readonly entered: number;
  readonly steps: readonly FunnelStepResult[];
}
