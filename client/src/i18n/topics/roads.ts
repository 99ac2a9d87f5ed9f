/** Road networks as they are (issue 14): connectivity, pieces and islands, scoped replace. */
export const zh = {
  'note.network_island_origin': '起点 {ref} 接入的是道路网中一个孤立的小块（{nodes} 个节点，全网 {networkNodes} 个）：可达范围止于该小块的边缘，请检查道路数据的连通性。',
  'note.network_island_facility': '设施 {ref} 接入的是道路网中一个孤立的小块（{nodes} 个节点，全网 {networkNodes} 个）：它能到达的范围止于该小块的边缘，请检查道路数据的连通性。',
  'roads.connectivity': '道路连通规则：{rule}',
  'roads.connectivity.endpoints': '仅在端点相连（导航数据/Shapefile 路网，立交处共用的中间点不相连）',
  'roads.connectivity.vertices': '任何共用顶点均相连',
  'roads.connectivity.osm': 'OpenStreetMap 规则（共用节点相连；桥梁、隧道与不同 layer 不相连）',
  'roads.connectivity.detected': '自动识别',
  'roads.connectivity.request': '按所选',
  'roads.connectivity.stored': '沿用该区县已设定的规则',
  'roads.pieces': '路网分为 {count} 块，最大一块占节点的 {share}%；孤立小块 {islands} 个（{islandNodes} 个节点）',
  'roads.deletedByCounty': '替换只删除文件所覆盖区县的要素：',
  'roads.deletedInCounty': '{county}：删除 {deleted} 条',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'note.network_island_origin': 'Origin {ref} joins the roads on a small isolated piece ({nodes} nodes of the network\'s {networkNodes}): its reach ends at the edge of that piece. Check the road data\'s connectivity.',
  'note.network_island_facility': 'Facility {ref} joins the roads on a small isolated piece ({nodes} nodes of the network\'s {networkNodes}): what it reaches ends at the edge of that piece. Check the road data\'s connectivity.',
  'roads.connectivity': 'Road connectivity: {rule}',
  'roads.connectivity.endpoints': 'at end points only (vendor / Shapefile networks; a vertex shared mid-line at an interchange does not connect)',
  'roads.connectivity.vertices': 'at any shared vertex',
  'roads.connectivity.osm': 'OpenStreetMap rules (shared nodes connect; bridges, tunnels and other layers do not)',
  'roads.connectivity.detected': 'detected',
  'roads.connectivity.request': 'as chosen',
  'roads.connectivity.stored': 'the county\'s rule, kept',
  'roads.pieces': 'The network is in {count} pieces; the largest holds {share}% of the nodes; {islands} small islands ({islandNodes} nodes)',
  'roads.deletedByCounty': 'Replace deletes only in the counties the file covers:',
  'roads.deletedInCounty': '{county}: {deleted} deleted',
};
