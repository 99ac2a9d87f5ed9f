/** The top bar: title, demo notice, area and search; then basemap, language, the shell's tools and sign-in. */
import { Suspense } from 'react';
import type { Area } from '../api/areas';
import type { Basemap } from '../api/config';
import type { OneFeature } from '../api/features';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { AreaSwitcher } from '../panels/AreaSwitcher';
import { BasemapSwitcher } from '../panels/BasemapSwitcher';
import { DemoNotice } from '../panels/DemoNotice';
import { LanguageSwitch } from '../panels/LanguageSwitch';
import { SearchBox } from '../panels/SearchBox';
import { SignIn } from '../panels/SignIn';
import { useOneMap } from './oneMap';

interface Props {
  demo: boolean;
  areaCode?: string;
  onArea(area: Area): void;
  onPick(layer: Layer, feature: OneFeature): void;
  basemaps: Basemap[];
  basemap: string;
  onBasemap(id: string): void;
}

export function TopBar({ demo, areaCode, onArea, onPick, basemaps, basemap, onBasemap }: Props) {
  const { t } = useI18n();
  const oneMap = useOneMap();
  return (
    <header className="topbar">
      <h1>
        {t('appTitle')}
        <small>{t('appSubtitle')}</small>
      </h1>
      {demo && <DemoNotice />}
      <AreaSwitcher areas={oneMap.areas} value={areaCode} onChange={onArea} />
      <SearchBox layers={oneMap.layers} onPick={onPick} />
      <div className="topbar-tools">
        <BasemapSwitcher basemaps={basemaps} value={basemap} onChange={onBasemap} />
        <LanguageSwitch />
        {oneMap.shell.topbar
          .filter((tool) => !tool.show || tool.show(oneMap))
          .map(({ id, Component }) => (
            <Suspense key={id} fallback={null}>
              <Component />
            </Suspense>
          ))}
        <SignIn role={oneMap.role} />
      </div>
    </header>
  );
}
