/**
 * Hand-off to a navigation app for the walk to a shelter, by each app's public web URL (which
 * opens the app when installed), in the coordinate system each one reads: our data is WGS84;
 * 高德, 腾讯 and Apple Maps inside China take GCJ-02, 百度 takes BD-09, a `geo:` URI WGS84 (RFC 5870).
 */
import { wgs84ToBd09, wgs84ToGcj02, type Lonlat } from '../../../../core/geo/crs';

export const NAV_APPS = ['amap', 'baidu', 'tencent', 'apple', 'geo'] as const;
export type NavApp = (typeof NAV_APPS)[number];

export interface Trip {
  from?: Lonlat;
  to: Lonlat;
  name: string;
}

const SOURCE = 'emergency-onemap';
const f6 = (x: number): string => x.toFixed(6);
const ll = ([lon, lat]: Lonlat): string => `${f6(lat)},${f6(lon)}`;

/** The URL that opens `app` with walking directions for the trip. */
export function navigationUrl(app: NavApp, { from, to, name }: Trip): string {
  switch (app) {
    case 'amap': {
      // uri.amap.com/navigation: to=lon,lat,name; mode=walk; coordinate=gaode (GCJ-02).
      const q = new URLSearchParams();
      if (from) q.set('from', `${wgs84ToGcj02(from).map(f6).join(',')},我的位置`);
      q.set('to', `${wgs84ToGcj02(to).map(f6).join(',')},${name}`);
      q.set('mode', 'walk');
      q.set('coordinate', 'gaode');
      q.set('callnative', '1');
      q.set('src', SOURCE);
      return `https://uri.amap.com/navigation?${q}`;
    }
    case 'baidu': {
      // api.map.baidu.com/direction: latlng:lat,lng|name:…; mode=walking; coord_type=bd09ll.
      const q = new URLSearchParams();
      q.set('origin', from ? `latlng:${ll(wgs84ToBd09(from))}|name:我的位置` : '我的位置');
      q.set('destination', `latlng:${ll(wgs84ToBd09(to))}|name:${name}`);
      q.set('mode', 'walking');
      q.set('coord_type', 'bd09ll');
      q.set('output', 'html');
      q.set('src', SOURCE);
      return `https://api.map.baidu.com/direction?${q}`;
    }
    case 'tencent': {
      // apis.map.qq.com/uri/v1/routeplan: type=walk; from/to names, fromcoord/tocoord lat,lng (GCJ-02).
      const q = new URLSearchParams();
      q.set('type', 'walk');
      if (from) {
        q.set('from', '我的位置');
        q.set('fromcoord', ll(wgs84ToGcj02(from)));
      }
      q.set('to', name);
      q.set('tocoord', ll(wgs84ToGcj02(to)));
      q.set('referer', SOURCE);
      return `https://apis.map.qq.com/uri/v1/routeplan?${q}`;
    }
    case 'apple': {
      // maps.apple.com: saddr/daddr lat,lng, dirflg=w (walking); Apple's map data in China is GCJ-02.
      const q = new URLSearchParams();
      if (from) q.set('saddr', ll(wgs84ToGcj02(from)));
      q.set('daddr', ll(wgs84ToGcj02(to)));
      q.set('q', name);
      q.set('dirflg', 'w');
      return `https://maps.apple.com/?${q}`;
    }
    case 'geo':
      // RFC 5870 geo URI, WGS84; the label in q= is the de-facto Android extension.
      return `geo:${ll(to)}?q=${ll(to)}(${encodeURIComponent(name)})`;
  }
}
