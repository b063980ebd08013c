/**
 * Settings per resource, pulled with `workspace/configuration` (section `uwsgiNginx`) and
 * cached per URI until the client says the configuration changed. Clients without
 * configuration support get what `didChangeConfiguration` last pushed.
 */
import type { Connection } from 'vscode-languageserver/node';
import { normalizeSettings, type Settings } from '../service/settings';

export const SECTION = 'uwsgiNginx';

export class SettingsCache {
	private readonly cache = new Map<string, Promise<Settings>>();
	private pushed: Settings = normalizeSettings(undefined);
	pull = false;

	constructor(private readonly connection: Connection) {}

	get(uri: string): Promise<Settings> {
		if (!this.pull) { return Promise.resolve(this.pushed); }
		let s = this.cache.get(uri);
		if (!s) {
			s = this.connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION })
				.then(raw => normalizeSettings(raw), () => this.pushed);
			this.cache.set(uri, s);
		}
		return s;
	}

	/** On `didChangeConfiguration`: forget everything; keep what was pushed for non-pull clients. */
	changed(pushedSettings: unknown): void {
		this.cache.clear();
		const section = (pushedSettings as Record<string, unknown> | null)?.[SECTION];
		if (section !== undefined) { this.pushed = normalizeSettings(section); }
	}

	forget(uri: string): void {
		this.cache.delete(uri);
	}
}
