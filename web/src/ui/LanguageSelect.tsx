import { LANGUAGES, language, setLanguage, t, type Language } from '../i18n';

/** The UI language: English or French. The choice also goes to the server where the protocol takes a language. */
export function LanguageSelect({ onChange }: { onChange: () => void }) {
  return (
    <label class="language">
      <span class="visually-hidden">{t('lang.label')}</span>
      <select
        value={language()}
        onChange={(e) => {
          setLanguage((e.target as HTMLSelectElement).value as Language);
          onChange();
        }}
      >
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
