/** Messages of the tiled layers (issue 15): counts in the current view, grid cells of points. */
export const zh = {
  inView: '视野内 {n}',
  inViewTitle: '当前地图范围内的要素数（含筛选）',
  clusterTitle: '{n} 个要素，点击放大',
} as const;

export const en: Record<keyof typeof zh, string> = {
  inView: '{n} in view',
  inViewTitle: 'Features inside the current map view (filters applied)',
  clusterTitle: '{n} features: click to zoom in',
};
