/** Longitude/latitude under the cursor, to 5 decimals (about a metre). */
import { useEffect, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { useI18n } from '../i18n';

export function CursorPosition({ map }: { map: MaplibreMap | null }) {
  const { t } = useI18n();
  const [pos, setPos] = useState<{ lon: number; lat: number } | null>(null);
  useEffect(() => {
    if (!map) return;
    let frame = 0;
    const move = (e: { lngLat: { lng: number; lat: number } }) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setPos({ lon: e.lngLat.lng, lat: e.lngLat.lat }));
    };
    map.on('mousemove', move);
    return () => {
      cancelAnimationFrame(frame);
      map.off('mousemove', move);
    };
  }, [map]);
  if (!pos) return null;
  return (
    <div className="cursor-position" data-testid="cursor">
      {t('cursor', { lon: pos.lon.toFixed(5), lat: pos.lat.toFixed(5) })}
    </div>
  );
}
