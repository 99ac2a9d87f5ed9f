/**
 * The parameters of each analysis, each shown with the standard's default and the clause it comes
 * from; a changed value can be put back to the default in one click.
 */
import type { ReactNode } from 'react';
import { FIRE_STATION_MAX_AREA_KM2, SHELTER_AREA_PER_PERSON, type ShelterClass } from '../../../core/standards';
import { DEFAULT_DRAFTS, type AnalysisDrafts, type LonLat } from '../api/analysis';
import { CANDIDATE_CHOICES, defaultSitingDraft, goalOf, SITING_GOALS, type CandidateChoice, type SitingGoal, type SitingMode } from '../api/siting';
import { SITING_DEFAULTS } from '../../../core/standards';
import type { EnumOption } from '../../../core/catalogue/types';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

interface NumberParamProps {
  id: string;
  label: string;
  unit: string;
  value: number;
  defaultValue: number;
  /** Standard or plan the default comes from; absent when a group heading names it. */
  basis?: ReactNode;
  min?: number;
  max?: number;
  step?: number;
  onChange(value: number): void;
}

/** An empty or unreadable box holds NaN, which the Run button refuses. */
function NumberParam({ id, label, unit, value, defaultValue, basis, min = 0, max, step = 1, onChange }: NumberParamProps) {
  const { t, n } = useI18n();
  const changed = value !== defaultValue;
  return (
    <div className={`param${Number.isFinite(value) ? '' : ' invalid'}`} data-param={id}>
      <label>
        <span className="param-label">{label}</span>
        <input type="number" value={Number.isFinite(value) ? value : ''} min={min} max={max} step={step} onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
        <span className="param-unit">{unit}</span>
      </label>
      <p className="param-basis">
        {t('defaultValue', { value: `${n(defaultValue)} ${unit}` })}
        {basis && <> · {basis}</>}
        {changed && (
          <button type="button" className="link-button" onClick={() => onChange(defaultValue)}>
            {t('resetDefault')}
          </button>
        )}
      </p>
    </div>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="param-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** A choice among a catalogue field's options, with an empty "any" entry first. */
function OptionSelect({ label, any, options, value, onChange }: { label: string; any: string; options: readonly EnumOption[]; value: string; onChange(v: string): void }) {
  const { l } = useI18n();
  return (
    <label className="param-select">
      <span className="param-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {l(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

const optionsOf = (layers: readonly Layer[], layerId: string, field: string) =>
  layers.find((l) => l.id === layerId)?.fields.find((f) => f.name === field)?.options ?? [];

interface FormProps<K extends keyof Omit<AnalysisDrafts, 'kind'>> {
  draft: AnalysisDrafts[K];
  layers: readonly Layer[];
  onChange(draft: AnalysisDrafts[K]): void;
}

export function FireForm({ draft, layers, onChange }: FormProps<'fire'>) {
  const { t, l, n } = useI18n();
  const d = DEFAULT_DRAFTS.fire;
  const types = optionsOf(layers, 'fire_stations', 'type');
  // Until changed, the analysis' own default applies: every type but micro stations (core/analysis/fire-coverage.ts).
  const chosen = draft.types ?? types.map((o) => o.value).filter((v) => v !== 'micro');
  const limits = Object.entries(FIRE_STATION_MAX_AREA_KM2)
    .map(([type, km2]) => `${l(types.find((o) => o.value === type) ?? { zh: type, en: type })} ${n(km2!)} km²`)
    .join(t('listSeparator'));
  return (
    <div className="analysis-form" data-form="fire">
      <NumberParam
        id="turnoutMinutes"
        label={t('paramTurnout')}
        unit={t('unitMinutes')}
        value={draft.turnoutMinutes}
        defaultValue={d.turnoutMinutes}
        step={0.5}
        basis="GB 51080-2015 §4.1.3"
        onChange={(v) => onChange({ ...draft, turnoutMinutes: v })}
      />
      <NumberParam
        id="driveMinutes"
        label={t('paramDrive')}
        unit={t('unitMinutes')}
        value={draft.driveMinutes}
        defaultValue={d.driveMinutes}
        step={0.5}
        basis="GB 51080-2015 §4.1.3"
        onChange={(v) => onChange({ ...draft, driveMinutes: v })}
      />
      <p className="param-note">{t('fireResponseTotal', { total: n(draft.turnoutMinutes + draft.driveMinutes) })}</p>
      <fieldset className="enum-filter param-types">
        <legend>{t('paramStationTypes')}</legend>
        {types.map((o) => (
          <label key={o.value} className="chip">
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => onChange({ ...draft, types: e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value) })}
            />
            {l(o)}
          </label>
        ))}
      </fieldset>
      <p className="param-note">{t('fireAreaLimits', { limits })} · 建标152-2017</p>
      <Check label={t('paramIncludePlanned')} checked={draft.includePlanned} onChange={(v) => onChange({ ...draft, includePlanned: v })} />
    </div>
  );
}

const SHELTER_CLASSES = Object.keys(SHELTER_AREA_PER_PERSON) as ShelterClass[];

export function ShelterForm({ draft, layers, onChange }: FormProps<'shelter'>) {
  const { t, l, n } = useI18n();
  const d = DEFAULT_DRAFTS.shelter;
  const hazards = optionsOf(layers, 'shelters', 'hazards');
  const classes = optionsOf(layers, 'shelters', 'class');
  const classLabel = (c: ShelterClass) => l(classes.find((o) => o.value === c) ?? { zh: c, en: c });
  const perClass = SHELTER_CLASSES.map((c) => `${classLabel(c)} ${n(SHELTER_AREA_PER_PERSON[c])}`).join(t('listSeparator'));
  return (
    <div className="analysis-form" data-form="shelter">
      <OptionSelect label={t('paramHazard')} any={t('anyHazard')} options={hazards} value={draft.hazard} onChange={(hazard) => onChange({ ...draft, hazard })} />
      <NumberParam
        id="areaPerResidentM2"
        label={t('paramAreaPerResident')}
        unit={t('unitM2PerPerson')}
        value={draft.areaPerResidentM2}
        defaultValue={d.areaPerResidentM2}
        step={0.1}
        basis={t('basisJiangbei')}
        onChange={(v) => onChange({ ...draft, areaPerResidentM2: v })}
      />
      <p className="param-note">{t('shelterPerClass', { list: perClass })} · GB 51143-2015</p>
      <fieldset className="param-group">
        <legend>
          {t('paramServiceRadius')} <span className="muted">· GB 21734-2008</span>
        </legend>
        {SHELTER_CLASSES.map((c) => (
          <NumberParam
            key={c}
            id={`serviceRadiusM.${c}`}
            label={classLabel(c)}
            unit="m"
            value={draft.serviceRadiusM[c]}
            defaultValue={d.serviceRadiusM[c]}
            step={100}
            onChange={(v) => onChange({ ...draft, serviceRadiusM: { ...draft.serviceRadiusM, [c]: v } })}
          />
        ))}
      </fieldset>
      <label className="param-select">
        <span className="param-label">{t('paramMetric')}</span>
        <select value={draft.metric} onChange={(e) => onChange({ ...draft, metric: e.target.value as typeof draft.metric })}>
          <option value="network">{t('metricNetwork')}</option>
          <option value="straight-line">{t('metricStraight')}</option>
        </select>
      </label>
      <NumberParam
        id="bufferM"
        label={t('paramBuffer')}
        unit="m"
        value={draft.bufferM}
        defaultValue={d.bufferM}
        step={50}
        basis={t('basisBuffer')}
        onChange={(v) => onChange({ ...draft, bufferM: v })}
      />
      <Check label={t('paramIncludePlanned')} checked={draft.includePlanned} onChange={(v) => onChange({ ...draft, includePlanned: v })} />
    </div>
  );
}

/** 巫山县“十四五”应急管理规划 commits to relief within 4 hours, tighter than the national 10. */
const WUSHAN_HOURS = 4;

export function ReliefForm({ draft, layers, onChange }: FormProps<'relief'>) {
  const { t } = useI18n();
  const d = DEFAULT_DRAFTS.relief;
  const items = optionsOf(layers, 'depots', 'inventory');
  return (
    <div className="analysis-form" data-form="relief">
      <NumberParam
        id="targetHours"
        label={t('paramTargetHours')}
        unit={t('unitHours')}
        value={draft.targetHours}
        defaultValue={d.targetHours}
        step={0.5}
        basis="国减发〔2022〕1号"
        onChange={(v) => onChange({ ...draft, targetHours: v })}
      />
      <p className="param-note">
        <button type="button" className="link-button" onClick={() => onChange({ ...draft, targetHours: WUSHAN_HOURS })}>
          {t('wushanPreset', { hours: WUSHAN_HOURS })}
        </button>
      </p>
      <OptionSelect label={t('paramItem')} any={t('anyItem')} options={items} value={draft.item} onChange={(item) => onChange({ ...draft, item })} />
      <NumberParam
        id="dispatchHours"
        label={t('paramDispatch')}
        unit={t('unitHours')}
        value={draft.dispatchHours}
        defaultValue={d.dispatchHours}
        step={0.5}
        basis={t('basisDispatch')}
        onChange={(v) => onChange({ ...draft, dispatchHours: v })}
      />
    </div>
  );
}

interface IsochroneFormProps extends FormProps<'isochrone'> {
  picking: boolean;
  onPicking(picking: boolean): void;
  /** The selected point feature, offered as an origin. */
  selected?: { name: string; position: LonLat };
}

export function IsochroneForm({ draft, onChange, picking, onPicking, selected }: IsochroneFormProps) {
  const { t } = useI18n();
  const add = (p: LonLat) => onChange({ ...draft, origins: [...draft.origins, p] });
  return (
    <div className="analysis-form" data-form="isochrone">
      <div className="param">
        <span className="param-label">{t('paramOrigins')}</span>
        {draft.origins.length === 0 && <p className="muted param-note">{t('noOrigins')}</p>}
        <ul className="origins">
          {draft.origins.map((p, i) => (
            <li key={`${i}:${p.join(',')}`}>
              {p[0].toFixed(5)}, {p[1].toFixed(5)}
              <button
                type="button"
                className="icon-button"
                aria-label={t('removeOrigin')}
                onClick={() => onChange({ ...draft, origins: draft.origins.filter((_, k) => k !== i) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="param-actions">
          <button type="button" aria-pressed={picking} data-testid="pick-origin" onClick={() => onPicking(!picking)}>
            {picking ? t('pickingOrigin') : t('pickOrigin')}
          </button>
          {selected && (
            <button type="button" onClick={() => add(selected.position)}>
              {t('useSelected', { name: selected.name })}
            </button>
          )}
        </div>
      </div>
      <div className="param" data-param="minutes">
        <label>
          <span className="param-label">{t('paramMinutes')}</span>
          <input type="text" inputMode="decimal" value={draft.minutes} onChange={(e) => onChange({ ...draft, minutes: e.target.value })} />
          <span className="param-unit">{t('unitMinutes')}</span>
        </label>
        <p className="param-basis">
          {t('rescueCircleBasis')}
          <button type="button" className="link-button" onClick={() => onChange({ ...draft, minutes: DEFAULT_DRAFTS.isochrone.minutes, mode: 'drive' })}>
            {t('rescuePreset')}
          </button>
        </p>
      </div>
      <label className="param-select">
        <span className="param-label">{t('paramMode')}</span>
        <select value={draft.mode} onChange={(e) => onChange({ ...draft, mode: e.target.value as typeof draft.mode })}>
          <option value="drive">{t('modeDrive')}</option>
          <option value="walk">{t('modeWalk')}</option>
        </select>
      </label>
    </div>
  );
}

export const GOAL_LABEL: Record<SitingGoal, MessageKey> = {
  'fire-mclp': 'goalFireMclp',
  'shelter-mclp': 'goalShelterMclp',
  'shelter-lscp': 'goalShelterLscp',
  'fire-lscp': 'goalFireLscp',
  'depot-pmedian': 'goalDepotPmedian',
  'fire-pcenter': 'goalFirePcenter',
};
const CANDIDATE_LABEL: Record<CandidateChoice, MessageKey> = { grid: 'candidatesGrid', planned: 'candidatesPlanned', shelters: 'candidatesShelters' };
export const MODE_LABEL: Record<SitingMode, MessageKey> = { drive: 'modeDrive', walk: 'modeWalk', 'straight-line': 'modeStraight' };

/** Planner siting: the question in plain words; N or the target share; the service time with the standard's default. */
export function SitingForm({ draft, onChange }: FormProps<'siting'>) {
  const { t } = useI18n();
  const goal = goalOf(draft.goal);
  const d = SITING_DEFAULTS[goal.layer];
  return (
    <div className="analysis-form" data-form="siting">
      <label className="param-select">
        <span className="param-label">{t('sitingGoal')}</span>
        <select data-param="goal" value={draft.goal} onChange={(e) => onChange(defaultSitingDraft(e.target.value as SitingGoal))}>
          {SITING_GOALS.map((g) => (
            <option key={g.id} value={g.id}>
              {t(GOAL_LABEL[g.id])}
            </option>
          ))}
        </select>
      </label>
      {goal.model === 'lscp' ? (
        <NumberParam
          id="coverageTarget"
          label={t('paramCoverageTarget')}
          unit="%"
          value={Math.round(draft.coverageTarget * 1000) / 10}
          defaultValue={80}
          min={1}
          max={100}
          onChange={(v) => onChange({ ...draft, coverageTarget: v / 100 })}
        />
      ) : (
        <NumberParam id="p" label={t('paramNewSites')} unit={t('unitSites')} value={draft.p} defaultValue={defaultSitingDraft(draft.goal).p} min={1} max={50} onChange={(v) => onChange({ ...draft, p: v })} />
      )}
      <NumberParam id="threshold" label={t('paramThreshold')} unit={t('unitMinutes')} value={draft.threshold} defaultValue={d.minutes} basis={d.basis} onChange={(v) => onChange({ ...draft, threshold: v })} />
      <label className="param-select">
        <span className="param-label">{t('paramCandidates')}</span>
        <select data-param="candidates" value={draft.candidates} onChange={(e) => onChange({ ...draft, candidates: e.target.value as CandidateChoice })}>
          {CANDIDATE_CHOICES.filter((c) => !(c === 'shelters' && goal.layer === 'shelters')).map((c) => (
            <option key={c} value={c}>
              {t(CANDIDATE_LABEL[c])}
            </option>
          ))}
        </select>
      </label>
      <label className="param-select">
        <span className="param-label">{t('paramMode')}</span>
        <select data-param="mode" value={draft.mode} onChange={(e) => onChange({ ...draft, mode: e.target.value as SitingMode })}>
          {(['drive', 'walk', 'straight-line'] as const).map((m) => (
            <option key={m} value={m}>
              {t(MODE_LABEL[m])}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
