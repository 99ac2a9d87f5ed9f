/**
 * How the road network's lines join (core/network/graph.ts Connectivity), chosen on a road import:
 * before the preview "detect" or a rule; in the preview the rule the server measured with (the
 * detected one until another is chosen). Each rule explained, as in settings.
 */
import { CONNECTIVITIES, type Connectivity } from '../api/network';
import { useI18n } from '../i18n';

export type ConnectivityChoice = Connectivity | 'auto';

interface Props {
  value: ConnectivityChoice;
  onChange(value: ConnectivityChoice): void;
  /** Before the preview: "detect" is offered. */
  allowAuto: boolean;
}

export function ConnectivityChooser({ value, onChange, allowAuto }: Props) {
  const { t } = useI18n();
  return (
    <div className="connectivity-chooser">
      <label className="import-field">
        <span>{t('connectivity.label')}</span>
        <select data-testid="import-connectivity" value={value} onChange={(e) => onChange(e.target.value as ConnectivityChoice)}>
          {allowAuto && <option value="auto">{t('connectivity.auto')}</option>}
          {CONNECTIVITIES.map((c) => (
            <option key={c} value={c}>
              {t(`connectivity.name.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted hint" data-testid="import-connectivity-hint">
        {value === 'auto' ? t('connectivity.autoHint') : `${t(`connectivity.hint.${value}`)} ${t('connectivity.previewed')}`}
      </p>
      <ConnectivityHints />
    </div>
  );
}

/** The three rules, each explained. */
export function ConnectivityHints() {
  const { t } = useI18n();
  return (
    <details className="connectivity-hints">
      <summary>{t('connectivity.explain')}</summary>
      <dl>
        {CONNECTIVITIES.map((c) => (
          <div key={c}>
            <dt>
              {t(`connectivity.name.${c}`)} <code>{c}</code>
            </dt>
            <dd>{t(`connectivity.hint.${c}`)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
