// What the analytics elements (heatmap, paths, funnels) share: their look, how they say an error.
export { analyticsStyles } from './styles';
export { messageOf } from './message';
