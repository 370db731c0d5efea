/** The login form (CONTRACT.md: "Tên đăng nhập", "Mật khẩu", "Đăng nhập"). */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { LoginResponse } from '../../common/api.ts';
import { ApiClient } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { navigate } from './router.tsx';
import { Emblem } from './Emblem.tsx';

export function LoginPage({
  onLoggedIn,
  expired,
  knownUser,
}: {
  readonly onLoggedIn: (login: LoginResponse) => void;
  readonly expired: boolean;
  readonly knownUser?: string;
}) {
  const { t } = useI18n();
  const [username, setUsername] = useState(knownUser ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(expired ? t.login.expired : null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!expired && location.pathname !== '/login') {
      const next = location.pathname + location.search;
      navigate(`/login${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, { replace: true });
    }
  }, [expired]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const api = new ApiClient({ baseUrl: location.origin, getToken: () => null });
    const result = await api.login(username.trim(), password);
    setBusy(false);
    if (result.ok) {
      onLoggedIn(result.value);
      return;
    }
    if (result.error.kind === 'network') setError(t.login.offline);
    else if (result.error.code === 'invalid_credentials' || result.error.status === 401) setError(t.login.invalid);
    else setError(t.login.failed);
    userRef.current?.focus();
  };

  return (
    <div className="login-screen">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <main className="login-card" aria-labelledby="login-title">
        <div className="login-brand">
          <Emblem />
          <div>
            <p className="login-app">{t.appName}</p>
            <p className="login-tagline">{t.appTagline}</p>
          </div>
        </div>
        <h1 id="login-title">{t.login.title}</h1>
        <p className="muted">{t.login.intro}</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="login-username">{t.login.username}</label>
            <input
              ref={userRef}
              id="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">{t.login.password}</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
            />
          </div>
          {error && (
            <p id={errorId} className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-block" aria-disabled={busy}>
            {t.login.submit}
          </button>
          {busy && (
            <p className="muted small" aria-live="polite">
              {t.login.submitting}
            </p>
          )}
        </form>
      </main>
    </div>
  );
}
