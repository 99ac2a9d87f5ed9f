/**
 * Refusals of the files read through GDAL and of the .xls reader (issue 13), the coordinate-column
 * refusal every table shares, and the edit form's reading of a demo source.
 */
export const zh = {
  'note.read_gdal_unreadable': '{file} 无法按 {format} 格式读取：文件已损坏、不完整，或并不是这种格式。请用原软件重新导出后再导入',
  'note.read_gdal_no_layers': '{file} 中没有图层（文件可能不完整，例如下载或复制时被截断），没有可导入的内容',
  'note.read_gdal_many_layers': '{file} 含 {count} 个图层（{layers}），无法确定导入哪一个：请每次导入一个图层，可先用 ogr2ogr 单独导出（如图层 “{first}”）',
  'note.read_gdal_layer_empty': '{file} 的图层 “{layer}” 中没有本图层所需类型的要素，没有可导入的内容',
  'note.read_gdal_crs': '{file} 的坐标系无法识别，或是本系统不能转换的坐标系（如西安 1980、北京 1954）：请在 QGIS/ArcGIS 中投影到 CGCS2000 后重新导出',
  'note.read_osm_no_roads': '{file} 中没有道路（带 highway 标签的路段），没有可导入的内容',
  'note.read_zip_gdb_many': '{file} 含 {count} 个文件地理数据库（{names}）：每个压缩包只放一个 .gdb 文件夹',
  'note.read_zip_nothing_known': '{file} 中没有本系统能读取的文件（包含：{seen}）。压缩包可包含 Shapefile（.shp、.shx、.dbf、.prj）、文件地理数据库（.gdb 文件夹）、MapInfo 表（.tab 及 .dat、.map、.id，或 .mif 及 .mid），或一个 .xlsx、.ods、.dxf、.fgb、.osm.pbf 文件',
  'note.read_zip_datasets_many': '{file} 含 {count} 个数据文件（{names}）：请每次导入一个，每个压缩包只放一个',
  'note.read_mapinfo_incomplete': '{file}：MapInfo 表 {table} 缺少同名的 {missing} 文件（数据存放在这些文件中）：请把该表的全部文件一起压缩',
  'note.read_tab_alone': '{file} 只是 MapInfo 表的索引，数据在旁边的 .dat、.map、.id 文件中：请把 .tab 与这些文件一起压缩为 zip 后导入',
  'note.read_sheet_no_header': '{file} 的工作表 “{sheet}” 中找不到表头行：请在数据上方用一行写出列名（名称、经度、纬度……）',
  'note.read_sheet_no_rows': '{file} 的工作表 “{sheet}” 有表头（第 {rows} 行），但没有数据行',
  'note.read_sheet_encrypted': '{file} 设有打开密码（已加密）：请在 Excel 或 WPS 中取消密码后另存，再导入',
  'note.read_xls_not_workbook': '{file} 不是 Excel 97–2003 工作簿（网页系统导出的 “.xls” 常是 HTML 或 XML 表格）：请在 Excel 或 WPS 中打开，另存为 .xlsx 后导入',
  'note.read_xls_unreadable': '{file} 无法作为 Excel 97–2003 工作簿读取（可能已损坏）：请在 Excel 或 WPS 中打开，另存为 .xlsx 后导入',
  'note.read_xls_time_limit': '{file} 读取超过 {seconds} 秒仍未完成：请在 Excel 或 WPS 中另存为 .xlsx 后导入',
  'note.read_no_coordinate_columns':
    '表头（{header}）中没有坐标列：请把列命名为 经度/纬度（或 lon/lat、lng、longitude/latitude、x/y），或提供名为 wkt 或 geometry 的 WKT 列',
  'note.import_geometry_shapefile': 'Shapefile {shp}（{type}），坐标系取自 {prj}',
  'note.import_geometry_shapefile_no_prj': 'Shapefile {shp}（{type}），没有 .prj：按导入时选择的坐标系读取',
  'note.import_geometry_kml': 'KML 地标（Placemark）的几何',
  'note.import_geometry_gpkg': 'GeoPackage 表 “{table}” 的几何列 “{column}”',
  'note.import_geometry_sheet_columns': '工作表 “{sheet}”，表头第 {rows} 行；经度列“{lon}”、纬度列“{lat}”',
  'note.import_geometry_sheet_wkt': '工作表 “{sheet}”，表头第 {rows} 行；WKT 列“{column}”',
  'note.import_geometry_gdal': '{file} 的图层 “{layer}”（{type}，由 GDAL 读取）',
  'note.import_geometry_gdal_other_kinds': '{file} 的图层 “{layer}”（{type}，由 GDAL 读取）；另有 {skipped} 个其他类型的要素未读入',
  'note.import_geometry_gdal_not_roads': '{file} 的图层 “{layer}”（{type}，由 GDAL 读取）；{skipped} 个不是道路的 OSM 要素未读入',
  provenanceReplace: '改为其他来源',
  provenanceStored: '（保存时保留原值）',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'note.read_gdal_unreadable': '{file} cannot be read as {format}: the file is damaged, incomplete, or not of that format. Export it again from the software that made it.',
  'note.read_gdal_no_layers': '{file} has no layers (it may be incomplete, e.g. cut short while downloading or copying): nothing to import.',
  'note.read_gdal_many_layers':
    '{file} holds {count} layers ({layers}) and the one to import cannot be told: import one layer at a time, saving it alone with ogr2ogr first (e.g. layer "{first}").',
  'note.read_gdal_layer_empty': '{file} layer "{layer}" has no features of the kind this layer holds: nothing to import.',
  'note.read_gdal_crs': "{file}: its coordinate system cannot be read, or cannot be converted here (e.g. Xi'an 1980, Beijing 1954). Project it to CGCS2000 in QGIS/ArcGIS and export it again.",
  'note.read_osm_no_roads': '{file} has no roads (ways tagged highway=*): nothing to import.',
  'note.read_zip_gdb_many': '{file} holds {count} File Geodatabases ({names}): zip one .gdb folder per file.',
  'note.read_zip_nothing_known':
    '{file} holds no file this app reads (it has: {seen}). A zip may hold a shapefile (.shp, .shx, .dbf, .prj), a File Geodatabase (.gdb folder), a MapInfo table (.tab with .dat, .map, .id; or .mif with .mid), or one .xlsx, .ods, .dxf, .fgb or .osm.pbf file.',
  'note.read_zip_datasets_many': '{file} holds {count} datasets ({names}): import them one at a time, one per zip.',
  'note.read_mapinfo_incomplete': "{file}: the MapInfo table {table} lacks its {missing} file(s), which hold its data: zip all of the table's files together.",
  'note.read_tab_alone': '{file} is the index of a MapInfo table, whose data are in the .dat, .map and .id files beside it: zip the .tab with them and import the zip.',
  'note.read_sheet_no_header': 'Sheet "{sheet}" of {file} has no header row: put the column names (名称, 经度, 纬度 …) in one row above the data.',
  'note.read_sheet_no_rows': 'Sheet "{sheet}" of {file} has a header (row {rows}) but no data rows.',
  'note.read_sheet_encrypted': '{file} is password-protected: open it in Excel or WPS, remove the password, save it and import that.',
  'note.read_xls_not_workbook':
    '{file} is not an Excel 97–2003 workbook (a web system\'s ".xls" export is often an HTML or XML table): open it in Excel or WPS and save it as .xlsx, then import that.',
  'note.read_xls_unreadable': '{file} could not be read as an Excel 97–2003 workbook (it may be damaged): open it in Excel or WPS and save it as .xlsx, then import that.',
  'note.read_xls_time_limit': '{file} took more than {seconds} s to read: save it as .xlsx in Excel or WPS and import that.',
  'note.read_no_coordinate_columns':
    'No coordinate columns in the header ({header}): name them lon/lat (or lng, longitude/latitude, x/y, 经度/纬度), or give a WKT column named wkt or geometry.',
  'note.import_geometry_shapefile': 'shapefile {shp} ({type}), CRS from {prj}',
  'note.import_geometry_shapefile_no_prj': 'shapefile {shp} ({type}), no .prj: coordinates read in the CRS chosen for the import',
  'note.import_geometry_kml': 'KML Placemark geometry',
  'note.import_geometry_gpkg': 'GeoPackage column "{column}" of table "{table}"',
  'note.import_geometry_sheet_columns': 'sheet "{sheet}", header row {rows}; columns “{lon}” (longitude), “{lat}” (latitude)',
  'note.import_geometry_sheet_wkt': 'sheet "{sheet}", header row {rows}; WKT column “{column}”',
  'note.import_geometry_gdal': '{file} layer "{layer}" ({type}, read by GDAL)',
  'note.import_geometry_gdal_other_kinds': '{file} layer "{layer}" ({type}, read by GDAL); {skipped} features of other kinds left out',
  'note.import_geometry_gdal_not_roads': '{file} layer "{layer}" ({type}, read by GDAL); {skipped} OSM features that are not roads left out',
  provenanceReplace: 'Replace with another source',
  provenanceStored: '(the stored value is kept on save)',
};
