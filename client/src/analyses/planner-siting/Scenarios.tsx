/**
 * The county's saved siting scenarios: save the plan on screen under a name, open one (its
 * optimisation, and its sites with the answer saved for them), delete one. Shown with the siting
 * form whether or not a result is on screen, so a scenario can be opened after a reload.
 */
import { useState } from 'react';
import { PLANNER_SITING } from '../../../../core/analysis/planner-siting/request';
import { useDeleteScenario, useOpenScenario, useSaveScenario, useScenarios, type Scenario } from '../../api/scenarios';
import { useI18n } from '../../i18n';
import type { WithFormProps } from '../types';
import type { SitingRun } from './goals';
import type { SitingPlan } from './usePlan';

export function Scenarios({ county, areaName, run, solved, session, restore }: WithFormProps) {
  const i18n = useI18n();
  const { t, n } = i18n;
  const [name, setName] = useState('');
  const scenarios = useScenarios(county);
  const save = useSaveScenario();
  const remove = useDeleteScenario(county);
  const open = useOpenScenario();
  const plan = session as SitingPlan;
  // Only a siting plan of this county can be saved here.
  const isSiting = (r: typeof run): r is SitingRun => r?.kind === PLANNER_SITING.id;
  const current = isSiting(run) && isSiting(solved) && solved.body.county === county ? { run, solved } : undefined;

  const saveScenario = () => {
    if (!current) return;
    const sites = plan.sites ?? current.solved.data.chosen.map(({ id, lon, lat }) => ({ id, lon, lat }));
    const result = plan.sites ? { ...current.run.data, optimum: current.solved.data } : current.solved.data;
    save.mutate({ name: name.trim(), request: current.solved.body, result, sites }, { onSuccess: () => setName('') });
  };

  const openScenario = (id: string) =>
    open.mutate(id, {
      onSuccess: (s: Scenario) => {
        const { optimum, ...shown } = s.result;
        const base: SitingRun = { kind: PLANNER_SITING.id, body: s.request, data: optimum ?? shown, ms: 0 };
        restore(base);
        if (optimum) plan.restore(base, s.sites, shown);
      },
    });

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  const errors = [save.error, open.error, remove.error, scenarios.error].filter((e): e is Error => Boolean(e));
  return (
    <section className="scenarios" data-testid="scenarios">
      <h3>{t('scenarios', { area: areaName })}</h3>
      <form
        className="scenario-save"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) saveScenario();
        }}
      >
        <input data-testid="scenario-name" value={name} maxLength={100} placeholder={t('scenarioName')} aria-label={t('scenarioName')} disabled={!current} onChange={(e) => setName(e.target.value)} />
        <button type="submit" data-testid="save-scenario" disabled={!current || !name.trim() || save.isPending}>
          {t('scenarioSave')}
        </button>
      </form>
      {errors.map((e) => (
        <p key={e.message} className="error" role="alert">
          {e.message}
        </p>
      ))}
      {scenarios.data?.length === 0 && <p className="muted">{t('scenarioNone')}</p>}
      <ul className="scenario-list" data-testid="scenario-list">
        {scenarios.data?.map((s) => (
          <li key={s.id} data-scenario={s.id}>
            <button type="button" className="link-button" data-testid="open-scenario" title={t('scenarioOpen')} disabled={open.isPending} onClick={() => openScenario(s.id)}>
              {s.name}
            </button>
            <span className="muted">{t('scenarioMeta', { sites: n(s.siteCount, 0), by: s.createdBy, at: when(s.createdAt) })}</span>
            <button type="button" className="remove" data-testid="delete-scenario" aria-label={t('scenarioDelete', { name: s.name })} title={t('scenarioDelete', { name: s.name })} onClick={() => remove.mutate(s.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
