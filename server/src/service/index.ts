/** Public API of the language service. Adapters (LSP server, CLI) and tests import from here. */
export { getLanguageService, type LanguageService, type LanguageServiceOptions } from './languageService';
export type { CompletionOptions } from '../features/completionOptions';
export { DEFAULT_SETTINGS, normalizeSettings, type Settings, type SeverityOverride, type SettingsProblem } from './settings';
export { detectLanguage, languageFromPath, languageFromLanguageId, hasUwsgiSection, type LanguageKind } from './languageDetection';
export { Workspace, type WorkspaceEntry } from './workspace';
export { allCodes, codeById, codeDocUrl, Codes, type DiagnosticCode, type Severity } from '../analysis/codes';
export { uriToPath, pathToUri } from '../utils/uri';
export { InjectedFault } from '../analysis/validate';
export { parseStatsAddress, formatStatsAddress, formatTarget, type StatsAddress, type StatsTarget } from '../features/stats/address';
export { interpretPayload, MAX_STATS_BYTES, type StatsReading, type StatsFailureKind, type StatsSnapshot, type StatsWorker } from '../features/stats/model';
export { StatsTracker, type StatsView } from '../features/stats/tracker';
export { renderStatsText, renderStatsHtml, statsJson } from '../features/stats/render';
export { statsSources, SHOW_STATS_COMMAND, type ShowStatsArgs, type StatsSource } from '../features/stats/sources';
