/** The pure parts of the GDAL formats: spreadsheet header finding and OSM road tags. */
import { describe, expect, it } from 'vitest';
import { sheetHeader } from '../../server/formats/sheet.js';
import { osmRoad, parseOtherTags } from '../../server/import/gdal-read.js';

const rows = (...cells: string[][]) => cells.map((c, i) => ({ row: i + 1, cells: c }));

describe('sheetHeader', () => {
  it('skips a merged title and a 填报单位 line, and joins a two-row header with 坐标 over 经度/纬度', () => {
    const h = sheetHeader(
      rows(
        ['应急避难场所调查表', '', '', '', '', ''],
        ['填报单位：江北区', '', '', '', '填报日期：2021年6月', ''],
        ['序号', '名称', '坐标', '', '容纳人数', '备注'],
        ['', '', '经度', '纬度', '', ''],
        ['1', '观音桥广场', '106.53', '29.58', '5000', ''],
      ),
    );
    expect(h).toEqual({ columns: ['序号', '名称', '经度', '纬度', '容纳人数', '备注'], headerRows: [3, 4], dataStart: 4 });
  });

  it('takes a plain first row as the header', () => {
    expect(sheetHeader(rows(['名称', '经度', '纬度'], ['甲', '106.5', '29.5']))).toEqual({ columns: ['名称', '经度', '纬度'], headerRows: [1], dataStart: 1 });
  });

  it('names children of the same name after their parents, and an unnamed column by its letter', () => {
    const h = sheetHeader(rows(['名称', '室内', '', '室外', '', ''], ['', '面积', '人数', '面积', '人数', ''], ['甲', '1', '2', '3', '4', 'x']));
    expect(h?.columns).toEqual(['名称', '室内·面积', '室内·人数', '室外·面积', '室外·人数', '列F']);
  });

  it('finds no header in a sheet of numbers', () => {
    expect(sheetHeader(rows(['1', '2'], ['3', '4']))).toBeUndefined();
  });
});

describe('OSM roads', () => {
  it('reads GDAL other_tags with escaped quotes', () => {
    expect(parseOtherTags('"bridge"=>"yes","name:en"=>"A \\"B\\" road","layer"=>"1"')).toEqual({ bridge: 'yes', 'name:en': 'A "B" road', layer: '1' });
  });

  it('applies the OSM oneway rules and speeds', () => {
    expect(osmRoad({ highway: 'primary', osm_id: '1' })).toMatchObject({ class: 'primary', oneway: 'no', id: 'way/1' });
    expect(osmRoad({ highway: 'primary', other_tags: '"junction"=>"roundabout"' })).toMatchObject({ oneway: 'yes' });
    expect(osmRoad({ highway: 'motorway' })).toMatchObject({ oneway: 'yes' });
    expect(osmRoad({ highway: 'motorway', other_tags: '"oneway"=>"no"' })).toMatchObject({ oneway: 'no' });
    expect(osmRoad({ highway: 'trunk_link', other_tags: '"oneway"=>"-1","maxspeed"=>"25 mph"' })).toMatchObject({ class: 'trunk', oneway: '-1', speed_kmh: 40 });
    expect(osmRoad({ highway: 'living_street', other_tags: '"maxspeed"=>"20"' })).toMatchObject({ class: 'residential', speed_kmh: 20 });
    expect(osmRoad({ highway: 'steps' })).toMatchObject({ class: 'path' });
  });

  it('leaves out ways that are not roads', () => {
    expect(osmRoad({ waterway: 'river' })).toBeUndefined();
    expect(osmRoad({ highway: 'construction' })).toBeUndefined();
    expect(osmRoad({ highway: 'pedestrian', other_tags: '"area"=>"yes"' })).toBeUndefined();
  });
});
