/** The application menu's template: Vietnamese labels, the app's pages, developer tools only in development. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { AppLink } from '../common/ipc.ts';
import { aboutText, menuTemplate } from './menu.ts';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.label ? [item.label] : []), ...(Array.isArray(item.submenu) ? labels(item.submenu) : [])]);
}
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
}
const build = (platform: string, development = false) => {
  const opened: AppLink[] = [];
  const template = menuTemplate({ platform, productName: 'Congvu', development, actions: { open: (link) => opened.push(link), about: () => {} } });
  return { template, opened };
};

describe('the application menu', () => {
  it('names its menus in Vietnamese', () => {
    expect(build('win32').template.map((item) => item.label)).toEqual(['Tệp', 'Sửa', 'Xem', 'Cửa sổ', 'Trợ giúp']);
    expect(build('darwin').template.map((item) => item.label)).toEqual(['Congvu', 'Tệp', 'Sửa', 'Xem', 'Cửa sổ', 'Trợ giúp']);
  });

  it('labels every item, in Vietnamese', () => {
    const items = labels(build('darwin', true).template);
    expect(items).toContain('Sao chép');
    expect(items).toContain('Hoàn tác');
    expect(items).not.toContain('Copy');
    const all = (t: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => t.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? all(i.submenu) : [])]);
    for (const item of all(build('linux', true).template)) if (item.type !== 'separator') expect(item.label, JSON.stringify(item.role)).toBeTruthy();
  });

  it('opens the main pages from the File menu', () => {
    const { template, opened } = build('linux');
    const file = template[0].submenu as MenuItemConstructorOptions[];
    for (const item of file.slice(0, 3)) item.click?.(undefined as never, undefined as never, undefined as never);
    expect(opened).toEqual([
      { kind: 'page', page: 'documents' },
      { kind: 'page', page: 'tasks' },
      { kind: 'page', page: 'approvals' },
    ]);
  });

  it('offers developer tools only in development', () => {
    expect(roles(build('linux').template)).not.toContain('toggleDevTools');
    expect(roles(build('linux', true).template)).toContain('toggleDevTools');
  });

  it('writes the about box in Vietnamese with the versions', () => {
    const text = aboutText('Congvu', { app: '0.1.0', electron: '45.5.0', chrome: '142', node: '22' });
    expect(text.title).toBe('Giới thiệu Congvu');
    expect(text.message).toBe('Congvu 0.1.0');
    expect(text.detail).toContain('Electron 45.5.0');
  });
});
