/** Links between the shells for staff; the map view (the URL hash) goes along. */
import { useOneMap, type ShellId } from '../frame/oneMap';
import { useI18n } from '../i18n';
import { SHELL_PATHS } from './paths';

export function ShellSwitch() {
  const { t } = useI18n();
  const { shell } = useOneMap();
  return (
    <nav className="shell-switch" aria-label={t('shells')}>
      {(Object.keys(SHELL_PATHS) as ShellId[]).map((id) => (
        <a
          key={id}
          href={SHELL_PATHS[id]}
          data-shell={id}
          aria-current={id === shell.id ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            window.location.assign(SHELL_PATHS[id] + window.location.hash);
          }}
        >
          {t(`shell_${id}`)}
        </a>
      ))}
    </nav>
  );
}
