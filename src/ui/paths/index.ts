// <tabstream-paths> (the Sankey of src/graph's paths) and <tabstream-paths-explorer> (the
// panels' Paths tab, which asks for them).
export { TabstreamPathsExplorer } from './explorer';
export { TabstreamPaths } from './paths';
export { pagePathsSource, type PathsSource } from './source';
