/**
 * A link to a site outside the app. It stays an ordinary link (keyboard, screen readers, copy
 * address), but a click goes through the platform: the system browser in the desktop app (for
 * hosts on the shell's allowlist), a new tab in a browser.
 */
import { useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { currentPlatform } from './platform.ts';

export function ExternalLink({ href, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { readonly href: string }) {
  const t = useT();
  const [failed, setFailed] = useState(false);
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void currentPlatform()
      .openExternal(href)
      .then((result) => setFailed(!result.ok));
  };
  return (
    <>
      <a href={href} target="_blank" rel="noopener noreferrer" onClick={open} {...rest}>
        {children}
      </a>
      {failed && (
        <span className="text-danger small" role="alert">
          {' '}
          {t.settings.linkFailed}
        </span>
      )}
    </>
  );
}
