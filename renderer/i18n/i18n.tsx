/** The interface language: Vietnamese by default, English on request, remembered per device. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.ts';
import { vi, type Messages } from './vi.ts';

export type Lang = 'vi' | 'en';
const STORAGE_KEY = 'congvu.lang';
const MESSAGES: Readonly<Record<Lang, Messages>> = { vi, en };

interface I18nValue {
  readonly t: Messages;
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18nValue>({ t: vi, lang: 'vi', setLang: () => {} });

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = MESSAGES[lang].appName;
  }, [lang]);
  const value = useMemo(() => ({ t: MESSAGES[lang], lang, setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

export function useT(): Messages {
  return useContext(I18nContext).t;
}
