/**
 * Navigation hand-off URLs, with coordinates whose GCJ-02 and BD-09 forms are published test
 * vectors (tests/fixtures/import/crs-truth.json: eviltransform's WGS84 → GCJ-02 pair in Shanghai,
 * coordtransform's GCJ-02 → BD-09 pair in Beijing).
 */
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, type Lonlat } from '../../core/geo/crs.js';
import { navigationUrl } from '../../client/src/shells/public/navigate.js';

// eviltransform: WGS84 31.1774276 N, 121.5272106 E → GCJ-02 31.175304 N, 121.531542 E.
const shanghai: Lonlat = [121.5272106, 31.1774276];
// coordtransform: GCJ-02 (116.404, 39.915) → BD-09 (116.410369, 39.921337).
const beijing = gcj02ToWgs84([116.404, 39.915]);
const trip = { from: shanghai, to: shanghai, name: '滨江公园 避难场所' };

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('navigation hand-off', () => {
  it('高德: uri.amap.com/navigation, GCJ-02 lon,lat,name, walking', () => {
    const url = navigationUrl('amap', trip);
    expect(url.startsWith('https://uri.amap.com/navigation?')).toBe(true);
    expect(params(url)).toMatchObject({
      to: '121.531542,31.175304,滨江公园 避难场所',
      from: '121.531542,31.175304,我的位置',
      mode: 'walk',
      coordinate: 'gaode',
    });
  });

  it('百度: api.map.baidu.com/direction, BD-09 lat,lng with coord_type=bd09ll, walking', () => {
    const url = navigationUrl('baidu', { to: beijing, name: '天安门广场' });
    expect(url.startsWith('https://api.map.baidu.com/direction?')).toBe(true);
    expect(params(url)).toMatchObject({
      destination: 'latlng:39.921337,116.410369|name:天安门广场',
      origin: '我的位置',
      mode: 'walking',
      coord_type: 'bd09ll',
      output: 'html',
    });
  });

  it('腾讯: apis.map.qq.com/uri/v1/routeplan, GCJ-02 lat,lng, walking', () => {
    const url = navigationUrl('tencent', trip);
    expect(url.startsWith('https://apis.map.qq.com/uri/v1/routeplan?')).toBe(true);
    expect(params(url)).toMatchObject({ type: 'walk', tocoord: '31.175304,121.531542', fromcoord: '31.175304,121.531542', to: trip.name });
  });

  it('Apple Maps: maps.apple.com, GCJ-02 inside China, dirflg=w', () => {
    const url = navigationUrl('apple', { to: shanghai, name: 'X' });
    expect(url.startsWith('https://maps.apple.com/?')).toBe(true);
    expect(params(url)).toMatchObject({ daddr: '31.175304,121.531542', dirflg: 'w' });
    expect(params(url).saddr).toBeUndefined();
  });

  it('system maps: an RFC 5870 geo: URI in WGS84', () => {
    expect(navigationUrl('geo', { to: shanghai, name: 'A B' })).toBe('geo:31.177428,121.527211?q=31.177428,121.527211(A%20B)');
  });
});
