/**
 * Publishes diagnostics: the changed document at once (coalesced per tick), the other open
 * documents a little later, since cross-file checks may depend on the change.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service/languageService';
import type { SettingsCache } from './settings';

const DEPENDENT_DELAY_MS = 150;

export class DiagnosticsPublisher {
	private readonly pending = new Set<string>();
	private flushScheduled = false;
	private dependentsTimer: NodeJS.Timeout | undefined;
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

	/** Validate this document soon (same tick batch), and its dependents a little later. */
	documentChanged(uri: string): void {
		this.schedule(uri);
		this.scheduleOthers(uri);
	}

	schedule(uri: string): void {
		this.pending.add(uri);
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			setImmediate(() => { this.flush().catch(error => this.internalError('publishing diagnostics', error)); });
		}
	}

	/** Re-validate every open document except `except` after a short delay. */
	scheduleOthers(except?: string): void {
		if (this.dependentsTimer) { clearTimeout(this.dependentsTimer); }
		this.dependentsTimer = setTimeout(() => {
			this.dependentsTimer = undefined;
			try {
				for (const d of this.documents.all()) {
					if (d.uri !== except) { this.schedule(d.uri); }
				}
			} catch (error) {
				this.internalError('scheduling dependent documents', error);
			}
		}, DEPENDENT_DELAY_MS);
	}

	all(): void {
		for (const d of this.documents.all()) { this.schedule(d.uri); }
	}

	clear(uri: string): void {
		this.pending.delete(uri);
		if (this.published.delete(uri)) {
			void this.connection.sendDiagnostics({ uri, diagnostics: [] });
		}
	}

	private async flush(): Promise<void> {
		this.flushScheduled = false;
		const uris = [...this.pending];
		this.pending.clear();
		for (const uri of uris) {
			// one document that fails to publish does not stop the others
			try {
				await this.publish(uri);
			} catch (error) {
				this.internalError(`publishing diagnostics for ${uri}`, error);
			}
		}
	}

	private async publish(uri: string): Promise<void> {
		const document = this.documents.get(uri);
		if (!document) { return; }
		const version = document.version;
		const settings = await this.settings.get(uri);
		const current = this.documents.get(uri);
		if (!current || current.version !== version) {
			this.schedule(uri);
			return;
		}
		const started = Date.now();
		const diagnostics = this.service.doValidation(current, settings);
		const took = Date.now() - started;
		if (took > 200) { this.log(`validating ${uri} took ${took} ms`); }
		if (this.faulty) { throw new Error('injected fault in lsp publish (a test asked for it)'); }
		if (diagnostics.length) { this.published.add(uri); } else { this.published.delete(uri); }
		void this.connection.sendDiagnostics({ uri, version, diagnostics }).catch(error => this.internalError(`sending diagnostics for ${uri}`, error));
	}
}
