/**
 * /settings: the server the app works with, and what the app is. In the desktop app the server
 * address is a setting of the shell (read and saved through the bridge); saving reloads the page,
 * because the desktop CSP's `connect-src` (which lets the sync socket reach that server) is fixed
 * per load. In a browser the address is the page's own origin, and the page says so.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AppVersion } from '../../common/ipc.ts';
import { useWorkspaceStatus } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { currentPlatform, type PlatformErrorCode, type ServerSettings } from '../platform/platform.ts';
import { ExternalLink } from '../platform/ExternalLink.tsx';
import './settings.css';

/** Where officials look up legal documents; its host is on the desktop shell's allowlist. */
const LEGAL_PORTAL = 'https://vanban.chinhphu.vn/';

export function SettingsPage() {
  const t = useT();
  const [settings, setSettings] = useState<ServerSettings | 'failed' | undefined>(undefined);
  const [version, setVersion] = useState<AppVersion | null>(null);

  useEffect(() => {
    let live = true;
    const platform = currentPlatform();
    void platform.serverSettings().then((result) => live && setSettings(result.ok ? result.value : 'failed'));
    void platform.appVersion().then((value) => live && setVersion(value));
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className="page settings-page" aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settings.title}</h1>
      <section className="settings-card" aria-labelledby="settings-server">
        <h2 id="settings-server">{t.settings.server}</h2>
        {settings === undefined ? null : settings === 'failed' ? (
          <p className="form-error" role="alert">
            {t.settings.loadFailed}
          </p>
        ) : settings.editable ? (
          <ServerAddressForm initial={settings.serverUrl} />
        ) : (
          <>
            <p>{t.settings.browserIntro(settings.serverUrl)}</p>
            <p className="muted">{t.settings.browserHow}</p>
          </>
        )}
      </section>
      <section className="settings-card" aria-labelledby="settings-about">
        <h2 id="settings-about">{t.settings.about}</h2>
        <dl className="settings-facts">
          {version && (
            <>
              <dt>{t.settings.version}</dt>
              <dd>{version.version}</dd>
            </>
          )}
          <dt>{t.settings.runtime}</dt>
          <dd>{version ? t.settings.runtimeDesktop(version.electron, version.chrome, version.platform) : t.settings.runtimeBrowser}</dd>
        </dl>
        <p className="small">
          {t.settings.legalIntro} <ExternalLink href={LEGAL_PORTAL}>{t.settings.legalLink}</ExternalLink>
        </p>
      </section>
    </section>
  );
}

function ServerAddressForm({ initial }: { readonly initial: string }) {
  const t = useT();
  const status = useWorkspaceStatus();
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlatformErrorCode | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (status.waiting > 0 && value.trim() !== initial && !window.confirm(t.settings.waitingConfirm(status.waiting))) return;
    setBusy(true);
    setError(null);
    const platform = currentPlatform();
    const result = await platform.setServerUrl(value);
    if (result.ok) {
      platform.reload();
      return;
    }
    setBusy(false);
    setError(result.code);
    inputRef.current?.focus();
  };

  const message =
    error === null ? null : error === 'invalid_request' || error === 'io_failed' ? t.settings.errors[error] : t.settings.errors.other(error);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <p className="muted small">{t.settings.current(initial)}</p>
      <div className="field">
        <label htmlFor="server-url">{t.settings.serverUrl}</label>
        <input
          ref={inputRef}
          id="server-url"
          type="url"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            if (error) setError(null);
          }}
          aria-describedby={message ? `${hintId} ${errorId}` : hintId}
          aria-invalid={message ? true : undefined}
        />
        <p id={hintId} className="field-hint">
          {t.settings.serverUrlHint}
        </p>
        {message && (
          <p id={errorId} className="form-error" role="alert">
            {message}
          </p>
        )}
      </div>
      <p className="note">{t.settings.reloadNote}</p>
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={busy}>
          {busy ? t.settings.saving : t.settings.save}
        </button>
      </div>
    </form>
  );
}
