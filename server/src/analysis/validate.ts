/**
 * Runs every validator of a language over one file. Each validator is isolated: an exception
 * in one becomes an internal error for the log, and the others still report.
 */
import type { NginxContext, NginxValidator, UwsgiContext, UwsgiValidator } from './context';
import type { Finding } from './findings';
import { checkByteOrderMark } from './nginx/byteOrderMark';
import { checkDuplicates } from './nginx/duplicates';
import { checkConflictingDeclarations } from './nginx/declarations';
import { checkOverriddenHandlers } from './nginx/handlers';
import { checkIncludes } from './nginx/includeCheck';
import { checkIncludedPlacement, checkPlacement } from './nginx/placement';
import { checkNginxSyntax } from './nginx/syntax';
import { checkUnknownDirectives } from './nginx/unknownDirective';
import { checkLocations } from './nginx/locations';
import { checkRestrictions } from './nginx/restrictions';
import { checkBufferSizes } from './nginx/buffers';
import { checkConstraints } from './nginx/constraints';
import { checkSpecial } from './nginx/special';
import { checkUnknownVariables } from './nginx/unknownVariable';
import { checkLogFormats } from './nginx/logFormats';
import { checkZones } from './nginx/zones';
import { checkAddresses } from './nginx/targets';
import { checkGeo } from './nginx/geo';
import { checkCertificates } from './nginx/certificates';
import { checkUnknownUpstreams, checkUpstreamBlocks } from './nginx/upstreams';
import { checkMissingUwsgiParams } from './nginx/uwsgiParams';
import { checkValues } from './nginx/values';
import { checkAliasTraversal } from './nginx/aliasTraversal';
import { checkAllowWithoutDeny, checkOpenStubStatus } from './nginx/access';
import { checkHardening } from './nginx/hardening';
import { checkWeakTls } from './nginx/tls';
import { checkHeaderInheritance } from './nginx/headerInheritance';
import { checkIfInLocation } from './nginx/ifInLocation';
import { checkMapDefaults } from './nginx/maps';
import { checkMissingCaptures } from './nginx/missingCapture';
import { checkRegexes } from './nginx/regexRules';
import { checkRegexCompile } from './nginx/regexCompile';
import { checkRequestData } from './nginx/requestData';
import { isTemplateUri, withoutPlaceholderFindings } from './nginx/templates';
import { checkDuplicateOptions } from './uwsgi/duplicateOption';
import { checkExposure } from './uwsgi/exposure';
import { checkInlineComments } from './uwsgi/inlineComment';
import { checkImmediateReferences } from './uwsgi/immediate';
import { checkInvalidValues } from './uwsgi/invalidValue';
import { checkNoUwsgiSection } from './uwsgi/noUwsgiSection';
import { checkSuspiciousBooleans } from './uwsgi/suspiciousBoolean';
import { checkUnknownOptions } from './uwsgi/unknownOption';
import { checkUnreleasedOptions } from './uwsgi/unreleasedOption';
import { checkUwsgiSyntax } from './uwsgi/syntax';
import { checkSocketPermissionNginx, checkSocketPermissionUwsgi } from './seam/permission';
import { checkTimeoutsNginx, checkTimeoutsUwsgi } from './seam/timeouts';
import { checkUnreferencedSockets } from './seam/unreferenced';
import { checkWiring } from './seam/wiring';
import { checkBufferSize } from './seam/bufferSize';
import { checkHttpRouter } from './seam/httpRouter';
import { checkDaemonize } from './uwsgi/daemonize';
import { checkLifecycle } from './uwsgi/lifecycle';
import { checkSocketMode } from './uwsgi/socketMode';

export const UWSGI_VALIDATORS: readonly UwsgiValidator[] = [
	checkUwsgiSyntax,
	checkNoUwsgiSection,
	checkUnknownOptions,
	checkUnreleasedOptions,
	checkInvalidValues,
	checkSuspiciousBooleans,
	checkDuplicateOptions,
	checkInlineComments,
	checkImmediateReferences,
	checkExposure,
	checkSocketPermissionUwsgi,
	checkTimeoutsUwsgi,
	checkUnreferencedSockets,
	checkLifecycle,
	checkSocketMode,
	checkDaemonize,
	checkBufferSize,
	checkHttpRouter,
];

/**
 * The checks of a uWSGI command line (a host file's invocation seen as its ini): every uWSGI
 * check except those about ini text that a command line cannot have (sections, inline comments).
 */
export const COMMAND_VALIDATORS: readonly UwsgiValidator[] = UWSGI_VALIDATORS.filter(v => v !== checkNoUwsgiSection && v !== checkInlineComments);

export const NGINX_VALIDATORS: readonly NginxValidator[] = [
	checkNginxSyntax,
	checkByteOrderMark,
	checkUnknownDirectives,
	checkPlacement,
	checkIncludedPlacement,
	checkValues,
	checkConstraints,
	checkDuplicates,
	checkConflictingDeclarations,
	checkLocations,
	checkRestrictions,
	checkBufferSizes,
	checkSpecial,
	checkUnknownVariables,
	checkLogFormats,
	checkZones,
	checkOverriddenHandlers,
	checkAddresses,
	checkGeo,
	checkCertificates,
	checkUpstreamBlocks,
	checkUnknownUpstreams,
	checkMissingUwsgiParams,
	checkIncludes,
	checkWiring,
	checkSocketPermissionNginx,
	checkTimeoutsNginx,
	checkAliasTraversal,
	checkAllowWithoutDeny,
	checkOpenStubStatus,
	checkHardening,
	checkWeakTls,
	checkHeaderInheritance,
	checkRequestData,
	checkIfInLocation,
	checkMapDefaults,
	checkMissingCaptures,
	checkRegexes,
	checkRegexCompile,
];

export interface ValidationResult {
	readonly findings: Finding[];
	/** Validators that threw: name and error, for the log. */
	readonly internalErrors: { readonly validator: string; readonly error: unknown }[];
}

/** What a validator or feature named in the service's `faults` throws (tests of crash containment only). */
export class InjectedFault extends Error {
	constructor(where: string) {
		super(`injected fault in ${where} (a test asked for it)`);
		this.name = 'InjectedFault';
	}
}

function run<C extends { report: (f: Finding) => void }>(validators: readonly ((c: C) => void)[], base: Omit<C, 'report'>, faults?: ReadonlySet<string>): ValidationResult {
	const findings: Finding[] = [];
	const internalErrors: ValidationResult['internalErrors'] = [];
	const ctx = { ...base, report: (f: Finding) => { findings.push(f); } } as C;
	const injected = faults?.size ? faults : undefined;
	for (const v of validators) {
		try {
			if (injected?.has(v.name)) { throw new InjectedFault(`validator ${v.name}`); }
			v(ctx);
		} catch (error) {
			internalErrors.push({ validator: v.name, error });
		}
	}
	return { findings, internalErrors };
}

export function validateUwsgi(base: Omit<UwsgiContext, 'report'>, faults?: ReadonlySet<string>): ValidationResult {
	return run(UWSGI_VALIDATORS, base, faults);
}

/** Validates one invocation of a host file; the service merges the invocations of a file. */
export function validateCommand(base: Omit<UwsgiContext, 'report'>, faults?: ReadonlySet<string>): ValidationResult {
	return run(COMMAND_VALIDATORS, base, faults);
}

/** Validates an nginx file; in a config template, nothing that depends on a `${VAR}` (see nginx/templates.ts). */
export function validateNginx(base: Omit<NginxContext, 'report'>, faults?: ReadonlySet<string>): ValidationResult {
	const result = run(NGINX_VALIDATORS, base, faults);
	return isTemplateUri(base.uri) ? { ...result, findings: withoutPlaceholderFindings(base.file, result.findings) } : result;
}
