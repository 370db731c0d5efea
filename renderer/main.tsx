/**
 * Entry point: the app in StrictMode, and the service worker that keeps it available offline.
 * zod is told not to probe eval before anything defines a schema (platform/zod-jitless.ts), and
 * the sync server is asked of the platform (the desktop app's settings, or this page's origin).
 */
import './platform/zod-jitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import { registerServiceWorker } from './offline/register-sw.ts';
import { currentPlatform } from './platform/platform.ts';
import './styles/tokens.css';
import './styles/app.css';
import './styles/document.css';
import './styles/boards.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
registerServiceWorker();
const syncUrl = await currentPlatform().syncUrl();
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App syncUrl={syncUrl} />
    </I18nProvider>
  </StrictMode>,
);
