// <tabstream-counts>: live clicks per URL from a counts source (window.tabstream or any like it).
export { TabstreamCounts } from './counts';
export { CountsFeed } from './feed';
export type {
  CountsBy,
  CountsSource,
  CountsView,
  CountsWindow,
  SortKey,
  SortOrder,
} from './counts';
