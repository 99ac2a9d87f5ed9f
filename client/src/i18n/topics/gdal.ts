/** Messages of the formats work (issue 14): the GDAL export formats and the import templates. */
export const zh = {
  formatFgb: 'FlatGeobuf（QGIS，带空间索引）',
  formatShp: 'Shapefile（zip，ArcGIS / QGIS）',
  importTemplate: '下载空白模板（xlsx）',
  importTemplateHint: '按普查调查表格式的空白 Excel 模板：填好后直接导入本图层',
} as const;

export const en: Record<keyof typeof zh, string> = {
  formatFgb: 'FlatGeobuf (QGIS, spatially indexed)',
  formatShp: 'Shapefile (zip, ArcGIS / QGIS)',
  importTemplate: 'Download a blank template (xlsx)',
  importTemplateHint: 'A blank Excel sheet laid out like the census survey table: fill it in and import it into this layer',
};
