/**
 * Each county's road connectivity rule (PUT /api/network/connectivity, admin): the rule it has or
 * the default it falls back to, changed in place; the answer is the county's network rebuilt
 * under the new rule, its pieces shown beside it.
 */
import type { Area } from '../api/areas';
import { ANY_COUNTY, CONNECTIVITIES, useConnectivity, useSetConnectivity, type Connectivity } from '../api/network';
import { useI18n } from '../i18n';
import { ConnectivityHints } from '../import/ConnectivityChooser';

export function ConnectivitySettings({ areas }: { areas: Area[] }) {
  const { t, l, n } = useI18n();
  const setting = useConnectivity();
  const change = useSetConnectivity();
  const rules = setting.data?.rules ?? {};
  const rows = [...areas.map((a) => ({ county: a.code, name: `${l(a.name)} (${a.code})` })), ...(rules[ANY_COUNTY] ? [{ county: ANY_COUNTY, name: t('settings.anyCounty') }] : [])];
  const last = change.variables?.county;
  return (
    <section className="connectivity-settings" data-testid="connectivity-settings">
      <h3>{t('settings.connectivity')}</h3>
      <p className="muted hint">{t('settings.connectivityHint')}</p>
      {setting.isPending && <p className="muted">{t('loading')}</p>}
      {setting.error && <p role="alert">{t('loadFailed', { message: setting.error.message })}</p>}
      {setting.data && (
        <table>
          <thead>
            <tr>
              <th>{t('settings.county')}</th>
              <th>{t('settings.rule')}</th>
              <th>{t('settings.state')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ county, name }) => {
              const own = rules[county];
              return (
                <tr key={county} data-county={county} data-rule={own ?? setting.data.fallback}>
                  <td>{name}</td>
                  <td>
                    <select
                      aria-label={`${t('settings.rule')} ${name}`}
                      data-testid={`connectivity-${county}`}
                      value={own ?? setting.data.fallback}
                      disabled={change.isPending}
                      onChange={(e) => change.mutate({ county, connectivity: e.target.value as Connectivity })}
                    >
                      {CONNECTIVITIES.map((c) => (
                        <option key={c} value={c}>
                          {t(`connectivity.name.${c}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted" data-testid={`connectivity-state-${county}`}>
                    {last === county && change.isPending
                      ? t('settings.saving')
                      : last === county && change.data
                        ? change.data.network
                          ? t('settings.pieces', { count: n(change.data.network.count), share: n(change.data.network.largestShare * 100, 1) })
                          : t('settings.noRoads')
                        : t(own ? 'settings.stored' : 'settings.fallback')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {change.error && (
        <p role="alert" className="run-error">
          {change.error.message}
        </p>
      )}
      <ConnectivityHints />
    </section>
  );
}
