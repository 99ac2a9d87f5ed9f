/** Switches between Chinese (default) and English. */
import { useI18n } from '../i18n';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <button type="button" className="language" lang={lang === 'zh' ? 'en' : 'zh-CN'} data-testid="language" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('switchLanguage')}
    </button>
  );
}
