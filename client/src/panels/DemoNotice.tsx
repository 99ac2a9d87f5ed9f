/** Always-visible notice that the map shows generated demo data (when /api/config says so). */
import { useI18n } from '../i18n';

export function DemoNotice() {
  const { t } = useI18n();
  return (
    <div className="demo-notice" role="note" title={t('demoNoticeDetail')} data-testid="demo-notice">
      <strong>{t('demoNotice')}</strong>
      <span className="demo-detail">{t('demoNoticeDetail')}</span>
    </div>
  );
}
