/** Public API of the language service. Adapters (LSP server, CLI) and tests import from here. */
export { getLanguageService, type LanguageService, type LanguageServiceOptions } from './languageService';
export { DEFAULT_SETTINGS, normalizeSettings, type Settings, type SeverityOverride, type SettingsProblem } from './settings';
export { detectLanguage, languageFromPath, languageFromLanguageId, hasUwsgiSection, type LanguageKind } from './languageDetection';
export { Workspace, type WorkspaceEntry } from './workspace';
export { allCodes, codeById, codeDocUrl, Codes, type DiagnosticCode, type Severity } from '../analysis/codes';
export { uriToPath, pathToUri } from '../utils/uri';
