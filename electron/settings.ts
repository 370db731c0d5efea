/**
 * The desktop app's settings: for now the address of the Congvu server, kept in
 * `settings.json` under the user-data folder. Every value read or written passes the zod schema
 * of common/ipc.ts, so a hand-edited or damaged file falls back to the defaults instead of
 * pointing the app somewhere odd. `CONGVU_SERVER_URL` overrides the file for one run (`npm start`
 * uses it to point the window at the server it has just started).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SERVER_URL, Settings } from '../common/ipc.ts';

export const DEFAULT_SETTINGS: Settings = { serverUrl: DEFAULT_SERVER_URL };

export type SettingsSource = 'default' | 'file' | 'environment';

export interface LoadedSettings {
  readonly settings: Settings;
  readonly source: SettingsSource;
  /** Why the file or the environment variable was not used, if it was not. */
  readonly problems: readonly string[];
}

export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;

  constructor(private readonly file: string) {}

  /** Reads the file (and the override), keeping defaults for anything invalid. */
  async load(env: Readonly<Record<string, string | undefined>> = {}): Promise<LoadedSettings> {
    const problems: string[] = [];
    let source: SettingsSource = 'default';
    let raw: string | undefined;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch {
      // No file yet: defaults.
    }
    if (raw !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        problems.push(`${this.file} is not JSON`);
      }
      const result = Settings.safeParse(parsed);
      if (result.success) {
        this.current = result.data;
        source = 'file';
      } else if (parsed !== undefined) problems.push(`${this.file}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
    }
    const override = env.CONGVU_SERVER_URL;
    if (override) {
      const result = Settings.safeParse({ serverUrl: override });
      if (result.success) {
        this.current = result.data;
        source = 'environment';
      } else problems.push(`CONGVU_SERVER_URL "${override}" is not a server address`);
    }
    return { settings: this.current, source, problems };
  }

  get(): Settings {
    return this.current;
  }

  /** Validates, writes atomically, and only then makes the new settings current. */
  async save(input: unknown): Promise<Settings> {
    const settings = Settings.parse(input);
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`);
    await rename(temporary, this.file);
    this.current = settings;
    return settings;
  }
}
