/** The formatters of nginx configs and uWSGI ini files (issue 10): pure functions over the parse trees. */
export {
	formatNginx, formatNginxOnType, formatNginxRange, nginxFormatEdits, NGINX_ON_TYPE_TRIGGERS, type NginxFormatOptions,
} from './nginx';
export { formatUwsgi, formatUwsgiRange, uwsgiFormatEdits, type UwsgiFormatOptions } from './uwsgi';
export { applyOffsetEdits, type OffsetEdit } from './edits';
export { iniSignature, nginxSignature, verifyNginxFormat, verifyUwsgiFormat } from './verify';
