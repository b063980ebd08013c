/**
 * Publishes diagnostics. A changed document is validated at once (changes of one tick are
 * coalesced). Other open documents are re-validated right after it only when the change can
 * affect them — when what other files can see of the changed one (its exports key: includes,
 * upstreams, passes, sockets, ...) changed — one per tick, so new edits are served in between.
 * A typing pause re-validates the others once more, as a safety net.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { InjectedFault, type LanguageService } from '../service';
import type { SettingsCache } from './settings';

/** After this long without changes, every other open document is re-validated once. */
const IDLE_REVALIDATE_MS = 500;

export class DiagnosticsPublisher {
	/** Changed documents: validated first. */
	private readonly pending = new Set<string>();
	/** Documents that may depend on a change elsewhere: validated after the changed ones, one per tick. */
	private readonly dependents = new Set<string>();
	/** Changed documents whose exports key is compared after their validation. */
	private readonly changed = new Set<string>();
	private readonly exportsKeys = new Map<string, string | undefined>();
	private flushScheduled = false;
	private flushing = false;
	private idleTimer: NodeJS.Timeout | undefined;
	/** URIs we published non-empty diagnostics for, to clear them when they become irrelevant. */
	private readonly published = new Set<string>();

	constructor(
		private readonly connection: Connection,
		private readonly documents: TextDocuments<TextDocument>,
		private readonly service: LanguageService,
		private readonly settings: SettingsCache,
		private readonly log: (message: string) => void,
		private readonly internalError: (where: string, error: unknown) => void = () => undefined,
		/** For tests of crash containment only: publishing throws (after validation). */
		private readonly faulty = false,
	) {}

	/** Validate this document now, and the others when its change can affect them. */
	documentChanged(uri: string): void {
		this.changed.add(uri);
		this.schedule(uri);
		this.scheduleIdle(uri);
	}

	schedule(uri: string): void {
		this.pending.add(uri);
		this.kick();
	}

	/** Re-validate every open document except `except` (soon, after any changed document). */
	scheduleOthers(except?: string): void {
		for (const d of this.documents.all()) {
			if (d.uri !== except) { this.dependents.add(d.uri); }
		}
		this.kick();
	}

	all(): void {
		for (const d of this.documents.all()) { this.schedule(d.uri); }
	}

	clear(uri: string): void {
		this.pending.delete(uri);
		this.dependents.delete(uri);
		this.changed.delete(uri);
		this.exportsKeys.delete(uri);
		if (this.published.delete(uri)) {
			void this.connection.sendDiagnostics({ uri, diagnostics: [] });
		}
	}

	/** The safety net: a pause in the changes re-validates the other documents once. */
	private scheduleIdle(except: string): void {
		if (this.idleTimer) { clearTimeout(this.idleTimer); }
		this.idleTimer = setTimeout(() => {
			this.idleTimer = undefined;
			try {
				this.scheduleOthers(except);
			} catch (error) {
				this.internalError('scheduling dependent documents', error);
			}
		}, IDLE_REVALIDATE_MS);
	}

	private kick(): void {
		if (this.flushScheduled || this.flushing) { return; }
		this.flushScheduled = true;
		setImmediate(() => { this.flush().catch(error => this.internalError('publishing diagnostics', error)); });
	}

	private async flush(): Promise<void> {
		this.flushScheduled = false;
		this.flushing = true;
		try {
			const uris = [...this.pending];
			this.pending.clear();
			for (const uri of uris) {
				this.dependents.delete(uri);
				// one document that fails to publish does not stop the others
				await this.guarded(uri);
				if (this.changed.delete(uri)) {
					try {
						this.compareExports(uri);
					} catch (error) {
						this.internalError('scheduling dependent documents', error);
					}
				}
			}
			// then one dependent, so edits that arrived meanwhile go first
			const next = this.dependents.values().next();
			if (!next.done) {
				this.dependents.delete(next.value);
				await this.guarded(next.value);
			}
		} finally {
			this.flushing = false;
		}
		if (this.pending.size || this.dependents.size) { this.kick(); }
	}

	/** Schedules the other documents when what they can see of this one changed. */
	private compareExports(uri: string): void {
		const document = this.documents.get(uri);
		if (!document) { return; }
		const key = this.service.exportsKey(document);
		const had = this.exportsKeys.has(uri);
		if (had && key !== undefined && this.exportsKeys.get(uri) === key) { return; }
		this.exportsKeys.set(uri, key);
		this.scheduleOthers(uri);
	}

	private async guarded(uri: string): Promise<void> {
		try {
			await this.validate(uri);
		} catch (error) {
			this.internalError(`publishing diagnostics for ${uri}`, error);
		}
	}

	private async validate(uri: string): Promise<void> {
		const document = this.documents.get(uri);
		if (!document) { return; }
		const version = document.version;
		const settings = await this.settings.get(uri);
		const current = this.documents.get(uri);
		if (!current || current.version !== version) {
			this.pending.add(uri);
			return;
		}
		const started = Date.now();
		const diagnostics = this.service.doValidation(current, settings);
		const took = Date.now() - started;
		if (took > 200) { this.log(`validating ${uri} took ${took} ms`); }
		if (this.faulty) { throw new InjectedFault('lsp publish'); }
		if (diagnostics.length) { this.published.add(uri); } else { this.published.delete(uri); }
		void this.connection.sendDiagnostics({ uri, version, diagnostics }).catch(error => this.internalError(`sending diagnostics for ${uri}`, error));
	}
}
