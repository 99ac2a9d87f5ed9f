/**
 * Demo data's provenance (the `source` of generated records, core/catalogue/provenance.ts) and the
 * details of refused imports (unreadable file, missing CRS, nothing to import), in both languages.
 */
export const zh = {
  'note.demo_source_generated': '演示数据：位置、属性和数量均为生成（固定种子），规划未给出数量',
  'note.demo_source_count_from_plan': '演示数据：位置和属性为生成（固定种子）；数量取自规划（{file}：{quote}）',
  'note.demo_source_roads': '演示数据：在随机点的 Delaunay 三角网上生成的路网（固定种子），不是真实道路',
  'note.demo_source_town_voronoi': '演示数据：乡镇范围为按乡镇驻地近似位置划分的泰森多边形；名称和代码为真实（国家统计局 2023 年统计用区划代码）',
  'note.demo_source_town_population': '演示数据：全区县普查人口按乡镇拆分（街道按 3 倍权重）',
  'note.demo_source_flood_bands': '演示数据：{river} 河道为手绘，{inner} 米和 {outer} 米风险带为假设（规划未附洪水风险图）',
  'note.demo_source_geohazard_buffer': '演示数据：地灾隐患点 {point} 周边 {radius} 米（按规模假设的半径）',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'note.demo_source_generated': 'Demo: generated (seeded) position, attributes and count; the plan gives no figure',
  'note.demo_source_count_from_plan': 'Demo: generated (seeded) position and attributes; count from the plan ({file}: {quote})',
  'note.demo_source_roads': 'Demo: generated (seeded) road network on a Delaunay mesh of jittered points — not real roads',
  'note.demo_source_town_voronoi':
    'Demo: town polygons are the Voronoi cells of the towns’ approximate seats; names and codes are real (国家统计局 2023 statistical division codes)',
  'note.demo_source_town_population': 'Demo: the county census total split over its towns (streets weighted 3×)',
  'note.demo_source_flood_bands': 'Demo: the {river} course drawn by hand, bands of {inner} m and {outer} m assumed (the plans ship no flood-risk map)',
  'note.demo_source_geohazard_buffer': 'Demo: {radius} m around geohazard point {point} (radius assumed from its scale)',
};
