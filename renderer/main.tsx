/** Entry point: the app in StrictMode, and the service worker that keeps it available offline. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import { registerServiceWorker } from './offline/register-sw.ts';
import './styles/tokens.css';
import './styles/app.css';
import './styles/document.css';
import './styles/boards.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
registerServiceWorker();
