/** Language state: zh-CN by default, English on request; remembered in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey, type Messages } from './messages';

export type Lang = 'zh' | 'en';

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  /** A UI string, with `{name}` placeholders filled from params. */
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** Whether the tables have this key (for keys built from a server code). */
  has(key: string): boolean;
  /** The current language's side of a catalogue label. */
  l(label: { zh: string; en: string }): string;
  /** A number formatted for the current language (thousands separators), to at most `digits` decimals (default 2). */
  n(value: number, digits?: number): string;
}

const MESSAGES: Record<Lang, Messages> = { zh, en };
const STORAGE_KEY = 'onemap.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** The language's tables as an I18n, outside React too (tests, exports). */
export function createI18n(lang: Lang, setLang: (lang: Lang) => void = () => undefined): I18n {
  const messages = MESSAGES[lang];
  const formats = new Map<number, Intl.NumberFormat>();
  const format = (digits: number) => {
    let f = formats.get(digits);
    if (!f) formats.set(digits, (f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits })));
    return f;
  };
  return {
    lang,
    setLang,
    t: (key, params) => messages[key].replace(/\{(\w+)\}/g, (m, name: string) => (params && name in params ? String(params[name]) : m)),
    has: (key) => key in messages,
    l: (label) => label[lang],
    n: (value, digits = 2) => format(digits).format(value),
  };
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this page only.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? '应急一张图 Emergency OneMap' : 'Emergency OneMap 应急一张图';
  }, [lang]);
  const value = useMemo(() => createI18n(lang, setLang), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>.');
  return value;
}
