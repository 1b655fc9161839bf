// <tabstream-funnel> (the bars of src/funnels' funnel) and <tabstream-funnel-explorer> (the
// panels' Funnels tab: a step list editor that asks for them).
export { funnelOptions, newStep, type DraftMatch, type DraftStep } from './draft';
export { TabstreamFunnelExplorer } from './explorer';
export { TabstreamFunnel } from './funnel';
export { pageFunnelSource, type FunnelSource } from './source';
