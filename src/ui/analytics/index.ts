// What the analytics elements (heatmap, paths, funnels) share: their look, how they ask and say
// an error.
export { Asking } from './asking';
export { analyticsStyles } from './styles';
export { messageOf } from './message';
