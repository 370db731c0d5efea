import { useI18n } from '../i18n/i18n.tsx';

/** Switches the interface between Vietnamese and English; names the target language in itself. */
export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  const next = lang === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" className="button button-ghost button-small" lang={next} onClick={() => setLang(next)}>
      <span aria-hidden="true" className="lang-code">
        {next.toUpperCase()}
      </span>{' '}
      {t.language.switchTo}
    </button>
  );
}
