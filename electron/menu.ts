/**
 * The application menu, in Vietnamese: the usual editing, view and window commands (Electron's
 * roles, relabelled, so shortcuts and platform behaviour stay native), and the app's own pages.
 * Developer tools appear only in a development run.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppLink } from '../common/ipc.ts';

export interface MenuActions {
  /** Opens one of the app's pages in the main window. */
  readonly open: (link: AppLink) => void;
  /** Shows the "about" box (version numbers). */
  readonly about: () => void;
}

export interface MenuOptions {
  readonly platform: string;
  readonly productName: string;
  readonly development: boolean;
  readonly actions: MenuActions;
}

function developerItems(development: boolean): MenuItemConstructorOptions[] {
  if (!development) return [];
  return [
    { type: 'separator' },
    { role: 'forceReload', label: 'Tải lại (bỏ bộ nhớ đệm)' },
    { role: 'toggleDevTools', label: 'Công cụ phát triển' },
  ];
}

function macWindowItems(mac: boolean): MenuItemConstructorOptions[] {
  return mac ? [{ type: 'separator' }, { role: 'front', label: 'Đưa tất cả lên trước' }] : [];
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { platform, productName, development, actions } = options;
  const mac = platform === 'darwin';
  const page = (label: string, accelerator: string, target: AppLink): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.open(target),
  });

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: productName,
      submenu: [
        { label: `Giới thiệu ${productName}`, click: actions.about },
        { type: 'separator' },
        { role: 'services', label: 'Dịch vụ' },
        { type: 'separator' },
        { role: 'hide', label: `Ẩn ${productName}` },
        { role: 'hideOthers', label: 'Ẩn các ứng dụng khác' },
        { role: 'unhide', label: 'Hiện tất cả' },
        { type: 'separator' },
        { role: 'quit', label: `Thoát ${productName}` },
      ],
    });
  }
  template.push(
    {
      label: 'Tệp',
      submenu: [
        page('Văn bản', 'CmdOrCtrl+1', { kind: 'page', page: 'documents' }),
        page('Việc của tôi', 'CmdOrCtrl+2', { kind: 'page', page: 'tasks' }),
        page('Chờ tôi duyệt', 'CmdOrCtrl+3', { kind: 'page', page: 'approvals' }),
        { type: 'separator' },
        mac ? { role: 'close', label: 'Đóng cửa sổ' } : { role: 'quit', label: 'Thoát' },
      ],
    },
    {
      label: 'Sửa',
      submenu: [
        { role: 'undo', label: 'Hoàn tác' },
        { role: 'redo', label: 'Làm lại' },
        { type: 'separator' },
        { role: 'cut', label: 'Cắt' },
        { role: 'copy', label: 'Sao chép' },
        { role: 'paste', label: 'Dán' },
        { role: 'pasteAndMatchStyle', label: 'Dán không định dạng' },
        { role: 'delete', label: 'Xóa' },
        { type: 'separator' },
        { role: 'selectAll', label: 'Chọn tất cả' },
      ],
    },
    {
      label: 'Xem',
      submenu: [
        { role: 'reload', label: 'Tải lại' },
        { type: 'separator' },
        { role: 'resetZoom', label: 'Cỡ chữ mặc định' },
        { role: 'zoomIn', label: 'Phóng to' },
        { role: 'zoomOut', label: 'Thu nhỏ' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Toàn màn hình' },
        ...developerItems(development),
      ],
    },
    {
      label: 'Cửa sổ',
      role: 'windowMenu',
      submenu: [
        { role: 'minimize', label: 'Thu nhỏ cửa sổ' },
        { role: 'zoom', label: 'Phóng to cửa sổ' },
        ...macWindowItems(mac),
        { role: 'close', label: 'Đóng cửa sổ' },
      ],
    },
    {
      label: 'Trợ giúp',
      role: 'help',
      submenu: [{ label: `Giới thiệu ${productName}`, click: actions.about }],
    },
  );
  return template;
}

/** The text of the "about" box. */
export function aboutText(productName: string, versions: Readonly<{ app: string; electron: string; chrome: string; node: string }>): { title: string; message: string; detail: string } {
  return {
    title: `Giới thiệu ${productName}`,
    message: `${productName} ${versions.app}`,
    detail: [
      'Không gian làm việc số cho cán bộ, công chức: soạn thảo văn bản cùng nhau, theo dõi công việc, trình duyệt văn bản, kể cả khi mất mạng.',
      '',
      `Electron ${versions.electron} · Chromium ${versions.chrome} · Node.js ${versions.node}`,
    ].join('\n'),
  };
}
