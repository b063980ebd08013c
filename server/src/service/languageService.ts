/**
 * The language service facade: one object with a method per feature, over a workspace model.
 * Pure library: no `vscode`, no LSP connection; only protocol types and text documents.
 * The LSP server (server/src/lsp) and the CLI (server/src/cli) are thin adapters over it.
 */
import type { CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, FormattingOptions, Hover, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../analysis/findings';
import type { IniLine } from '../parser/ini/nodes';
import { applySuppressions, findSuppressions, type Suppression } from '../analysis/suppressions';
import { InjectedFault, validateCommand, validateNginx, validateUwsgi, type ValidationResult } from '../analysis/validate';
import { commandCompletion, commandHover } from '../features/commands/commandLine';
import { loadNginxReference } from '../data/nginxReference';
import { configLoads } from '../analysis/uwsgi/loads';
import { quickFixes } from '../features/codeActions';
import { formatNginx, formatNginxOnType, formatNginxRange, formatUwsgi, formatUwsgiRange } from '../features/format';
import { statsCodeLenses } from '../features/stats/sources';
import { seamCodeActions, type SeamWorkspace } from '../features/seam/actions';
import { seamDefinition, seamHover, seamReferences } from '../features/seam/navigation';
import { nginxCompletion, nginxCompletionDocumentation } from '../features/nginx/completion';
import { isCompletionData, withItemDefaults, type CompletionOptions } from '../features/completionOptions';
import { nginxHover } from '../features/nginx/hover';
import { templateHover, type HostFileView } from '../features/nginx/templateValues';
import { nginxDefinition, nginxDocumentLinks, nginxPrepareRename, nginxReferences, nginxRename, type NginxWorkspace } from '../features/nginx/navigation';
import { nginxFolding, nginxSymbols } from '../features/nginx/structure';
import { optionMarkdown, uwsgiCompletion } from '../features/uwsgi/completion';
import { uwsgiHover } from '../features/uwsgi/hover';
import { uwsgiFolding, uwsgiSymbols } from '../features/uwsgi/structure';
import { uriToPath } from '../utils/uri';
import { linePositions, toDiagnostic } from './diagnostics';
import { commandHostOf, detectLanguage, languageFromLanguageId, type LanguageKind } from './languageDetection';
import { isTemplatePath } from '../parser/nginx/template';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { Workspace } from './workspace';
import { Memo } from '../utils/memo';

export interface LanguageServiceOptions {
	/** Called with internal errors (a validator or feature that threw); the service keeps going. */
	onInternalError?: (where: string, error: unknown) => void;
	/**
	 * For tests of crash containment only (never set in normal use): names of validators (their
	 * function names, e.g. `checkUnknownDirectives`) or features (`hover`, `completion`,
	 * `code actions`, `validation`, … — the names internal errors are logged under) that throw
	 * an `InjectedFault` on every call.
	 */
	faults?: readonly string[];
}

export interface LanguageService {
	/** Every file the service knows; keep it current (the server and the CLI do). */
	readonly workspace: Workspace;
	/** Resolves once optional data (the nginx reference docs) is loaded; never rejects. */
	readonly ready: Promise<void>;
	/** Which of our languages a document is, if any. */
	languageOf(document: TextDocument): LanguageKind | undefined;
	doValidation(document: TextDocument, settings?: Settings): Diagnostic[];
	doHover(document: TextDocument, position: Position): Hover | null;
	/**
	 * Completion at a position. With `options` the list is shaped for the client: documentation
	 * left to `resolveCompletion`, shared values moved into `itemDefaults`.
	 */
	doComplete(document: TextDocument, position: Position, options?: CompletionOptions): CompletionList;
	/** Fills in what a list item from `doComplete` with `lazyDocumentation` left out (its documentation). */
	resolveCompletion(item: CompletionItem): CompletionItem;
	doCodeActions(document: TextDocument, range: Range, diagnostics: readonly Diagnostic[], settings?: Settings): CodeAction[];
	findDocumentSymbols(document: TextDocument): DocumentSymbol[];
	getFoldingRanges(document: TextDocument): FoldingRange[];
	findDefinition(document: TextDocument, position: Position, settings?: Settings): Location[];
	findReferences(document: TextDocument, position: Position, includeDeclaration: boolean, settings?: Settings): Location[];
	prepareRename(document: TextDocument, position: Position): Range | null;
	doRename(document: TextDocument, position: Position, newName: string, settings?: Settings): WorkspaceEdit | null;
	findDocumentLinks(document: TextDocument, settings?: Settings): DocumentLink[];
	/** Formatting: whole document, a range, or on type (`;` and `}` in nginx). Edits change only blanks. */
	doFormat(document: TextDocument, options: FormattingOptions, settings?: Settings): TextEdit[];
	doRangeFormat(document: TextDocument, range: Range, options: FormattingOptions, settings?: Settings): TextEdit[];
	doOnTypeFormat(document: TextDocument, position: Position, ch: string, options: FormattingOptions, settings?: Settings): TextEdit[];
	/** The suppression comments of a document (for `uwsgi-nginx-check --list-suppressions`). */
	listSuppressions(document: TextDocument): Suppression[];
	/**
	 * What other files' diagnostics can depend on in this document (see Workspace.exportsKey):
	 * when an edit leaves it unchanged, other documents need no re-validation.
	 */
	exportsKey(document: TextDocument): string | undefined;
	/** Code lenses: "Show live stats" on every `stats` / `stats-server` option of a uWSGI config or command line. */
	findCodeLenses(document: TextDocument): CodeLens[];
}

const EMPTY_COMPLETION: CompletionList = { isIncomplete: false, items: [] };

/** The comment lines of an ini file, read in order without an array of them. */
function* iniComments(lines: readonly IniLine[]): Generator<IniLine> {
	for (const l of lines) {
		if (l.kind === 'comment') { yield l; }
	}
}

export function getLanguageService(options: LanguageServiceOptions = {}): LanguageService {
	const workspace = new Workspace();
	const onError = options.onInternalError ?? (() => undefined);
	const faults = new Set(options.faults ?? []);

	const nginxWorkspace = (settings: Settings): NginxWorkspace => ({
		files: () => workspace.nginxFiles(),
		document: uri => workspace.get(uri)?.document,
		graph: () => workspace.nginxGraph({ prefix: settings.nginx.prefix, pathMappings: settings.nginx.pathMappings }),
	});

	const seamView = (): SeamWorkspace => ({ graph: () => workspace.socketGraph(), document: uri => workspace.get(uri)?.document });

	/** Adds the other side of the seam to a hover. */
	/** The compose files and Dockerfiles of the workspace (for the values of templates). */
	const hostFiles = function* (): Iterable<HostFileView> {
		for (const e of workspace.all()) {
			if (e.kind !== 'command') { continue; }
			const file = workspace.commands(e.uri)?.file;
			if (file && (file.host === 'compose' || file.host === 'dockerfile')) { yield { uri: e.uri, file }; }
		}
	};
	const withSeam = (document: TextDocument, offset: number, hover: Hover | null): Hover | null => {
		const seam = seamHover(seamView(), document.uri, offset);
		if (!seam) { return hover; }
		if (!hover) { return { contents: { kind: 'markdown', value: seam } }; }
		const base = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
		return { ...hover, contents: { kind: 'markdown', value: `${base}\n\n---\n\n${seam}` } };
	};

	/** The suppression comments of a document. */
	const suppressionsOf = (document: TextDocument, kind: LanguageKind): Suppression[] => {
		const lineOf = (offset: number) => document.positionAt(offset).line;
		if (kind === 'nginx') { return findSuppressions(document.getText(), workspace.nginx(document.uri)!.comments, lineOf); }
		if (kind === 'command') { return findSuppressions(document.getText(), workspace.commands(document.uri)!.file.comments, lineOf); }
		return findSuppressions(document.getText(), iniComments(workspace.ini(document.uri)!.lines), lineOf);
	};

	/** Config files a uWSGI document loads (ini = ..., include = ..., --ini on a command line), resolved in the workspace. */
	const uwsgiLoads = (document: TextDocument) => {
		const uris = [...workspace.all()].map(e => e.uri);
		const commands = workspace.commands(document.uri);
		if (commands) { return commands.configs.flatMap(c => configLoads(document.uri, c.doc, uris)); }
		return configLoads(document.uri, workspace.ini(document.uri)!, uris);
	};

	/** The last answer per document, kept while its text and language id stay the same. */
	const kinds = new Memo<TextDocument, { readonly text: string; readonly languageId: string; readonly kind: LanguageKind | undefined }>();
	const languageOf = (document: TextDocument): LanguageKind | undefined => {
		const text = document.getText();
		const known = kinds.get(document);
		if (known && known.text === text && known.languageId === document.languageId) { return known.kind; }
		const kind = detectKind(document, text);
		kinds.set(document, { text, languageId: document.languageId, kind });
		return kind;
	};
	const detectKind = (document: TextDocument, text: string): LanguageKind | undefined => {
		const path = uriToPath(document.uri) ?? document.uri;
		// a host file that runs uWSGI (Dockerfile, compose, unit, script, ...), whatever language the editor gives it
		if (document.languageId !== 'uwsgi-ini' && commandHostOf(path, text)) { return 'command'; }
		// a config template is nginx by its folder or its content, whatever language the editor gives it
		if (isTemplatePath(path)) { return detectLanguage(path, text); }
		return languageFromLanguageId(document.languageId, text)
			?? (document.languageId === 'ini' ? undefined : detectLanguage(path, text));
	};

	/** Makes sure the workspace holds this exact document; returns its kind. */
	const sync = (document: TextDocument): LanguageKind | undefined => {
		const kind = languageOf(document);
		if (!kind) { return undefined; }
		const entry = workspace.get(document.uri);
		if (!entry || entry.document !== document || entry.kind !== kind) { workspace.set(document, kind); }
		return kind;
	};

	/** Runs a feature; an exception becomes an internal error and the fallback result. */
	const guard = <T>(where: string, fallback: T, f: () => T): T => {
		try {
			if (faults.has(where)) { throw new InjectedFault(where); }
			return f();
		} catch (error) {
			onError(where, error);
			return fallback;
		}
	};

	return {
		workspace,
		ready: loadNginxReference(),
		languageOf,

		doValidation(document, settings = DEFAULT_SETTINGS) {
			return guard('validation', [], () => {
				const kind = sync(document);
				if (!kind) { return []; }
				let result: ValidationResult;
				if (kind === 'uwsgi') {
					result = validateUwsgi({ uri: document.uri, doc: workspace.ini(document.uri)!, settings, workspace }, faults);
				} else if (kind === 'command') {
					// each invocation on its own; checks over the whole file (the socket graph) would repeat: keep one of each
					const seen = new Set<string>();
					result = { findings: [], internalErrors: [] };
					for (const c of workspace.commands(document.uri)!.configs) {
						const r = validateCommand({ uri: document.uri, doc: c.doc, settings, workspace }, faults);
						result.internalErrors.push(...r.internalErrors);
						for (const f of r.findings) {
							const key = `${f.code.id}\u0000${f.offset}\u0000${f.length}`;
							if (!seen.has(key)) {
								seen.add(key);
								result.findings.push(f);
							}
						}
					}
				} else {
					result = validateNginx({ uri: document.uri, file: workspace.nginx(document.uri)!, settings, workspace }, faults);
				}
				for (const e of result.internalErrors) { onError(`validator ${e.validator}`, e.error); }
				const documentOf = (uri: string) => workspace.get(uri)?.document;
				// a uWSGI file's lines are parsed already: positions come from them, not from a new line table
				const positionAt = kind === 'uwsgi' ? linePositions(document, workspace.ini(document.uri)!.lines) : (offset: number) => document.positionAt(offset);
				const lineOf = (offset: number) => positionAt(offset).line;
				const findings = applySuppressions(result.findings, suppressionsOf(document, kind), lineOf);
				const out: Diagnostic[] = [];
				for (const f of findings.sort(byPosition)) {
					const d = toDiagnostic(f, document, settings, documentOf, positionAt);
					if (d) { out.push(d); }
				}
				return out;
			});
		},

		doHover(document, position) {
			return guard('hover', null, () => {
				const kind = sync(document);
				const offset = document.offsetAt(position);
				if (kind === 'uwsgi') { return withSeam(document, offset, uwsgiHover(document, workspace.ini(document.uri)!, offset)); }
				if (kind === 'nginx') {
					const path = uriToPath(document.uri);
					const template = path && isTemplatePath(path) ? templateHover(document, offset, path, hostFiles) : null;
					return template ?? withSeam(document, offset, nginxHover(document, workspace.nginx(document.uri)!, offset, nginxWorkspace(DEFAULT_SETTINGS)));
				}
				if (kind === 'command') { return withSeam(document, offset, commandHover(document, workspace.commands(document.uri)!.configs, offset)); }
				return null;
			});
		},

		findDefinition(document, position, settings = DEFAULT_SETTINGS) {
			return guard('definition', [], () => {
				const kind = sync(document);
				if (kind === 'uwsgi' || kind === 'command') {
					const offset = document.offsetAt(position);
					const load = uwsgiLoads(document).find(l => offset >= l.entry.value.offset && offset <= l.entry.value.offset + l.entry.value.length);
					return (load?.targets ?? []).map(t => ({ uri: t, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }));
				}
				if (kind !== 'nginx') { return []; }
				const offset = document.offsetAt(position);
				return [...nginxDefinition(nginxWorkspace(settings), document.uri, workspace.nginx(document.uri)!, offset), ...seamDefinition(seamView(), document.uri, offset)];
			});
		},

		findReferences(document, position, includeDeclaration, settings = DEFAULT_SETTINGS) {
			return guard('references', [], () => {
				const kind = sync(document);
				const offset = document.offsetAt(position);
				if (kind === 'uwsgi' || kind === 'command') { return seamReferences(seamView(), document.uri, offset); }
				return kind === 'nginx' ? nginxReferences(nginxWorkspace(settings), workspace.nginx(document.uri)!, offset, includeDeclaration) : [];
			});
		},

		prepareRename(document, position) {
			return guard('rename', null, () => (sync(document) === 'nginx'
				? nginxPrepareRename(document, workspace.nginx(document.uri)!, document.offsetAt(position)) ?? null : null));
		},

		doRename(document, position, newName, settings = DEFAULT_SETTINGS) {
			return guard('rename', null, () => (sync(document) === 'nginx'
				? nginxRename(nginxWorkspace(settings), workspace.nginx(document.uri)!, document.offsetAt(position), newName) ?? null : null));
		},

		doFormat(document, options, settings = DEFAULT_SETTINGS) {
			return guard('formatting', [], () => {
				const kind = sync(document);
				// host files (Dockerfiles, scripts, ...) belong to their own formatters
				if (!kind || kind === 'command' || !settings.format.enable) { return []; }
				const o = formatOptions(options, settings);
				return kind === 'nginx' ? formatNginx(document, workspace.nginx(document.uri)!, o) : formatUwsgi(document, workspace.ini(document.uri)!, o);
			});
		},

		doRangeFormat(document, range, options, settings = DEFAULT_SETTINGS) {
			return guard('formatting', [], () => {
				const kind = sync(document);
				if (!kind || kind === 'command' || !settings.format.enable) { return []; }
				const o = formatOptions(options, settings);
				return kind === 'nginx' ? formatNginxRange(document, workspace.nginx(document.uri)!, range, o) : formatUwsgiRange(document, workspace.ini(document.uri)!, range, o);
			});
		},

		doOnTypeFormat(document, position, ch, options, settings = DEFAULT_SETTINGS) {
			return guard('formatting', [], () => (sync(document) === 'nginx' && settings.format.enable
				? formatNginxOnType(document, workspace.nginx(document.uri)!, position, ch, formatOptions(options, settings)) : []));
		},

		exportsKey(document) {
			return guard('exports', undefined, () => (sync(document) ? workspace.exportsKey(document.uri) : undefined));
		},

		listSuppressions(document) {
			return guard('suppressions', [], () => {
				const kind = sync(document);
				return kind ? suppressionsOf(document, kind) : [];
			});
		},

		findCodeLenses(document) {
			return guard('code lenses', [], () => {
				const kind = sync(document);
				if (kind === 'uwsgi') { return statsCodeLenses(document, workspace.ini(document.uri)!); }
				// `--stats` on the uWSGI command lines of a Dockerfile, unit, compose file, script
				if (kind === 'command') { return workspace.commands(document.uri)!.configs.flatMap(c => statsCodeLenses(document, c.doc, c.cwd)); }
				return [];
			});
		},

		findDocumentLinks(document, settings = DEFAULT_SETTINGS) {
			return guard('document links', [], () => {
				const kind = sync(document);
				if (kind === 'nginx') { return nginxDocumentLinks(nginxWorkspace(settings), document); }
				if (kind !== 'uwsgi' && kind !== 'command') { return []; }
				return uwsgiLoads(document).filter(l => l.targets.length === 1).map(l => ({
					range: { start: document.positionAt(l.entry.value.offset), end: document.positionAt(l.entry.value.offset + l.file.length) },
					target: l.targets[0], tooltip: 'Open the loaded config',
				}));
			});
		},

		doComplete(document, position, options = {}) {
			return guard('completion', EMPTY_COMPLETION, () => {
				const kind = sync(document);
				const offset = document.offsetAt(position);
				let list = EMPTY_COMPLETION;
				if (kind === 'uwsgi') { list = uwsgiCompletion(document, workspace.ini(document.uri)!, offset, options); }
				if (kind === 'nginx') { list = nginxCompletion(document, workspace.nginx(document.uri)!, offset, nginxWorkspace(DEFAULT_SETTINGS), seamView(), options); }
				if (kind === 'command') { list = commandCompletion(document, workspace.commands(document.uri)!.configs, offset, options); }
				return withItemDefaults(list, options.itemDefaults);
			});
		},

		resolveCompletion(item) {
			return guard('completion resolve', item, () => {
				const data: unknown = item.data;
				if (item.documentation !== undefined || !isCompletionData(data)) { return item; }
				const documentation = data.doc === 'nginx'
					? nginxCompletionDocumentation(item.label, data.context)
					: (value => value === undefined ? undefined : { kind: MarkupKind.Markdown, value })(optionMarkdown(item.label.replace(/^--/, '')));
				return documentation ? { ...item, documentation } : item;
			});
		},

		doCodeActions(document, range, diagnostics, settings = DEFAULT_SETTINGS) {
			return guard('code actions', [], () => {
				if (!sync(document)) { return []; }
				return [...quickFixes(document, diagnostics), ...seamCodeActions(seamView(), document, document.offsetAt(range.start), diagnostics, settings)];
			});
		},

		findDocumentSymbols(document) {
			return guard('symbols', [], () => {
				const kind = sync(document);
				if (kind === 'uwsgi') { return uwsgiSymbols(document, workspace.ini(document.uri)!); }
				if (kind === 'nginx') { return nginxSymbols(document, workspace.nginx(document.uri)!); }
				return [];
			});
		},

		getFoldingRanges(document) {
			return guard('folding', [], () => {
				const kind = sync(document);
				if (kind === 'uwsgi') { return uwsgiFolding(document, workspace.ini(document.uri)!); }
				if (kind === 'nginx') { return nginxFolding(document, workspace.nginx(document.uri)!); }
				return [];
			});
		},
	};
}

function formatOptions(options: FormattingOptions, settings: Settings) {
	return { tabSize: options.tabSize, insertSpaces: options.insertSpaces, alignMapValues: settings.format.alignMapValues, maxBlankLines: settings.format.maxBlankLines };
}

function byPosition(a: Finding, b: Finding): number {
	return a.offset - b.offset || a.length - b.length;
}
